using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>The admin's mark-paid and refund as workflow updates: validators, what the run writes, replay.</summary>
[Collection(TemporalCollection.Name)]
public sealed class AdminToolsFlowTests(TemporalTestEnvironment environment)
{
    private static ManualPaymentRequest Manual(string reference = "wire-1", decimal amount = 99m, string currency = "usd") =>
        new(reference, amount, currency, "bank statement", Guid.Parse("00000000-0000-0000-0000-0000000000ad"), "ops@flashfundx.test");

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task MarkPaid_WhileAwaitingPayment_PaidWithTheManualPaymentInOneSync_Delivered_RepeatAccepted(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(2601);
        await order.StartAsync();
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        var progress = await order.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(Manual()));
        var result = await order.ResultAsync();
        var repeat = await AcceptedAfterCloseAsync(order);

        Assert.NotEqual(OrderStage.AwaitingPayment, progress.Stage);
        Assert.Equal(OrderStage.Completed, result.Stage);
        var (payment, state) = Assert.Single(order.Activities.ManualPayments);
        Assert.Equal("wire-1", payment.Reference);
        Assert.Equal((OrderStage.Paid, OrderStatus.Paid), (state.Stage, state.OrderStatus));
        Assert.Equal(2601, Assert.Single(order.Activities.Deliveries).AccountId);
        Assert.Equal(PaymentStatus.Pending, result.PaymentStatus);
        Assert.False(repeat);
        await order.ReplayAsync(exportAs: cache == WorkerCache.Cached ? "marked-paid" : null);
    }

    [Theory]
    [InlineData("99.01", "usd", AdminToolRefusals.PriceMismatch)]
    [InlineData("99", "eur", AdminToolRefusals.PriceMismatch)]
    public async Task MarkPaid_NotThePrice_RefusedByTheValidator_NothingInTheHistory(string amount, string currency, string refusal)
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        await order.StartAsync();
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        var request = Manual(amount: decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency: currency);
        var error = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => order.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(request)));

        Assert.Equal(refusal, Assert.IsType<ApplicationFailureException>(error.InnerException).ErrorType);
        Assert.Empty(order.Activities.ManualPayments);
        Assert.Equal(OrderStage.AwaitingPayment, (await order.StatusAsync()).Stage);
        var history = (await order.HistoriesAsync()).Single();
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowExecutionUpdateAccepted);
    }

    [Fact]
    public async Task MarkPaid_SecondReference_Refused_PaidByProvider_Refused()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        await order.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = TimeSpan.FromDays(30) }));
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);
        await order.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(Manual("wire-1")));

        var other = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => order.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(Manual("wire-2"))));
        var same = await order.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(Manual("wire-1")));

        Assert.Equal(AdminToolRefusals.OtherReference, Assert.IsType<ApplicationFailureException>(other.InnerException).ErrorType);
        Assert.Equal(OrderStage.WaitingInventory, same.Stage);

        await using var paidByIpn = new FulfillmentHarness(environment, WorkerCache.Cached);
        await paidByIpn.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = TimeSpan.FromDays(30) }));
        await paidByIpn.SignalPaymentAsync("finished");
        await paidByIpn.WaitForStageAsync(OrderStage.WaitingInventory);
        var paid = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => paidByIpn.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(Manual())));
        Assert.Equal(AdminToolRefusals.NotAwaitingPayment, Assert.IsType<ApplicationFailureException>(paid.InnerException).ErrorType);
        Assert.Empty(paidByIpn.Activities.ManualPayments);
    }

    [Fact]
    public async Task RecordRefund_RunStillOpen_RefundedThroughTheUpdate_NotWrittenAgainByTheRun()
    {
        var emailGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached, new InMemoryFulfillmentActivities { EmailGate = emailGate });
        await order.StartAsync(FulfillmentHarness.NewInput(new FulfillmentSettings { InventoryRecheckInterval = TimeSpan.FromDays(30) }));
        await order.SignalPaymentAsync("finished");
        await order.WaitForStageAsync(OrderStage.WaitingInventory);
        await order.Handle.SignalAsync(wf => wf.CancelAsync(new CancelOrderRequest("supplier delay", "admin@flashfundx.test")));
        // The cancelled e-mail holds the run open after it flagged the refund.
        await order.Activities.EmailStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var refund = new RefundRequest("refund-1", "sent back", Guid.NewGuid(), "ops@flashfundx.test");

        var progress = await order.Handle.ExecuteUpdateAsync(wf => wf.RecordRefundAsync(refund));
        var again = await order.Handle.ExecuteUpdateAsync(wf => wf.RecordRefundAsync(refund));
        var second = refund with { Reference = "refund-2" };
        var other = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => order.Handle.ExecuteUpdateAsync(wf => wf.RecordRefundAsync(second)));
        emailGate.SetResult();
        var result = await order.ResultAsync();

        Assert.Equal((OrderStage.Refunded, OrderStatus.Refunded, DeliveryStatus.Refunded), (progress.Stage, progress.OrderStatus, progress.DeliveryStatus));
        Assert.Equal(OrderStage.Refunded, again.Stage);
        Assert.Equal(AdminToolRefusals.OtherReference, Assert.IsType<ApplicationFailureException>(other.InnerException).ErrorType);
        Assert.Equal((OrderStage.Refunded, OrderStatus.Refunded), (result.Stage, result.OrderStatus));
        Assert.Single(order.Activities.Refunds);
        Assert.Equal(OrderStage.RefundRequired, order.Activities.StateChanges[^1].Stage);
        await order.ReplayAsync(exportAs: "refunded-while-open");
    }

    [Fact]
    public async Task RecordRefund_OrderNotRefundRequired_RefusedByTheValidator()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        await order.StartAsync();
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        var error = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() =>
            order.Handle.ExecuteUpdateAsync(wf => wf.RecordRefundAsync(new RefundRequest("refund-1", null, Guid.NewGuid(), "ops@flashfundx.test"))));

        Assert.Equal(AdminToolRefusals.NotRefundRequired, Assert.IsType<ApplicationFailureException>(error.InnerException).ErrorType);
        Assert.Empty(order.Activities.Refunds);
    }

    /// <summary>A mark-paid sent after the run closed: the server refuses it as not found (the API answers from the database).</summary>
    private static async Task<bool> AcceptedAfterCloseAsync(FulfillmentHarness order)
    {
        try
        {
            await order.Handle.ExecuteUpdateAsync(wf => wf.MarkPaidAsync(Manual()));
            return true;
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return false;
        }
    }
}
