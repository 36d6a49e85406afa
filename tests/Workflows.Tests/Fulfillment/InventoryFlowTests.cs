using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>A paid order's way to its account, including waiting for stock and everything that ends in a refund.</summary>
[Collection(TemporalCollection.Name)]
public sealed class InventoryFlowTests(TemporalTestEnvironment environment)
{
    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_OutOfStockThenRestockSignal_Delivered(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        // Far longer than any test: only the signal can wake the order.
        await order.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = TimeSpan.FromDays(30) }));
        await order.SignalPaymentAsync("finished");
        var waiting = await order.WaitForStageAsync(OrderStage.WaitingInventory);

        order.Activities.AddStock(1101);
        await order.Handle.SignalAsync(wf => wf.InventoryRestockedAsync());
        var result = await order.ResultAsync();

        Assert.Equal(DeliveryStatus.WaitingInventory, waiting.DeliveryStatus);
        Assert.Equal(OrderStatus.Fulfilling, waiting.OrderStatus);
        Assert.StartsWith("Out of stock", waiting.LastError, StringComparison.Ordinal);
        Assert.Contains(order.Activities.StateChanges, c => c.Stage == OrderStage.WaitingInventory && c.DeliveryStatus == DeliveryStatus.WaitingInventory);
        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
        Assert.Equal(1101, order.Activities.Deliveries.Single().AccountId);
        Assert.Equal(2, order.Activities.DeliveryCalls);
        var history = (await order.HistoriesAsync()).Single();
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.TimerFired);
        await order.ReplayAsync(exportAs: "out-of-stock-restocked");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_PaymentReportWhileWaitingInventory_RecordedBeforeRestock(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        await order.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = TimeSpan.FromDays(30) }));
        await order.SignalPaymentAsync("confirmed");
        await order.WaitForStageAsync(OrderStage.WaitingInventory);

        await order.SignalPaymentAsync("finished");
        var recorded = await order.WaitForAsync(s => s.PaymentStatus == PaymentStatus.Finished, "finished while waiting");
        await Eventually.WaitAsync(() => order.Activities.Payments.Any(p => p.EvaluatedStatus == PaymentStatus.Finished),
            "the finished report recorded while the order waits for stock");
        var reservesWhileWaiting = order.Activities.DeliveryCalls;
        order.Activities.AddStock(1102);
        await order.Handle.SignalAsync(wf => wf.InventoryRestockedAsync());
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.WaitingInventory, recorded.Stage);
        Assert.Equal(1, reservesWhileWaiting);
        Assert.Contains(order.Activities.StateChanges, c => c.Stage == OrderStage.WaitingInventory && c.PaymentStatus == PaymentStatus.Finished);
        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        await order.ReplayAsync(exportAs: "payment-recorded-while-waiting-inventory");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_OutOfStockThenStockWithoutSignal_TimerRecheckDelivers(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        var recheck = environment.SupportsTimeSkipping ? TimeSpan.FromMinutes(10) : TimeSpan.FromMilliseconds(500);
        await order.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = recheck }));
        await order.SignalPaymentAsync("finished");
        await order.WaitForStageAsync(OrderStage.WaitingInventory);

        order.Activities.AddStock(1201);
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(1201, order.Activities.Deliveries.Single().AccountId);
        var history = (await order.HistoriesAsync()).Single();
        Assert.Contains(history.Events, e => e.EventType == EventType.TimerFired);
        await order.ReplayAsync(exportAs: "out-of-stock-timer-recheck");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_CancelWhileWaitingInventory_RefundRequired(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        await order.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = TimeSpan.FromDays(30) }));
        await order.SignalPaymentAsync("finished");
        await order.WaitForStageAsync(OrderStage.WaitingInventory);

        await order.Handle.SignalAsync(wf => wf.CancelAsync(new CancelOrderRequest("supplier delay", "admin@flashfundx.test")));
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.RefundRequired, result.Stage);
        Assert.Equal(OrderStatus.Cancelled, result.OrderStatus);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.Equal(DeliveryStatus.RefundRequired, result.DeliveryStatus);
        Assert.Equal(DeliveryStatus.RefundRequired, order.Activities.StateChanges[^1].DeliveryStatus);
        Assert.Empty(order.Activities.Deliveries);
        await order.ReplayAsync(exportAs: "cancelled-waiting-inventory");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_TradingRulesMissing_RefundRequired(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache, new InMemoryFulfillmentActivities { RulesMissing = true });
        order.Activities.AddStock(1301);
        await order.StartAsync();

        await order.SignalPaymentAsync("finished");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.RefundRequired, result.Stage);
        Assert.Equal(DeliveryStatus.RefundRequired, result.DeliveryStatus);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.Equal(0, order.Activities.DeliveryCalls);
        var status = await order.StatusAsync();
        Assert.Contains("TradingRulesMissing", status.LastError, StringComparison.Ordinal);
        await order.ReplayAsync(exportAs: "trading-rules-missing");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_ProviderRejectsInvoice_Failed(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache, new InMemoryFulfillmentActivities { RejectInvoices = true });
        await order.StartAsync();

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Failed, result.Stage);
        Assert.Equal(OrderStatus.Failed, result.OrderStatus);
        Assert.Equal(1, order.Activities.InvoiceCalls);
        Assert.Equal(OrderStage.Failed, order.Activities.StateChanges.Single().Stage);
        await order.ReplayAsync(exportAs: "invoice-rejected");
    }
}
