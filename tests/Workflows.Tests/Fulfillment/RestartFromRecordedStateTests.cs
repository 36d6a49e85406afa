using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>
/// A run started again from the order's recorded state (<see cref="FulfillmentCarryOver.Restarted"/>, the API's
/// reconciler and admin retry): it writes its state before anything else, keeps the recorded deadline and invoice.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class RestartFromRecordedStateTests(TemporalTestEnvironment environment)
{
    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_RestartedPaid_WritesPaidFirst_DeliversWithoutNewInvoice(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(2101);
        var deadline = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
        var paid = new PaymentState(PaymentStatus.Finished, PaymentOutcome.Paid, "5077125051", 99m);
        var input = FulfillmentHarness.NewInput() with
        {
            CarryOver = new FulfillmentCarryOver(deadline, "inv-restart", "https://pay.example/inv-restart", paid, 0, 0, 0, null, Restarted: true),
        };

        await order.StartAsync(input, OrderFulfillmentStart.RestartOptions(input, order.TaskQueue, replaceClosedRun: false));
        var result = await order.ResultAsync();

        var first = order.Activities.StateChanges[0];
        Assert.Equal((OrderStage.Paid, OrderStatus.Paid, DeliveryStatus.Pending), (first.Stage, first.OrderStatus, first.DeliveryStatus));
        Assert.Equal(deadline, first.PaymentDeadline);
        Assert.Equal(0, order.Activities.InvoiceCalls);
        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(2101, order.Activities.Deliveries.Single().AccountId);
        await order.ReplayAsync();
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_RestartedUnpaid_KeepsRecordedDeadline_ExpiresAtIt(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.InvoiceLookupAvailable = false;
        // Passed already: the restarted run expires the order at once instead of granting a new payment timeout.
        var deadline = DateTime.UtcNow.AddMinutes(-5);
        var input = FulfillmentHarness.NewInput() with
        {
            CarryOver = new FulfillmentCarryOver(deadline, "inv-restart-2", "https://pay.example/inv-restart-2", PaymentState.Initial, 0, 0, 0, null, Restarted: true),
        };

        await order.StartAsync(input, OrderFulfillmentStart.RestartOptions(input, order.TaskQueue, replaceClosedRun: false));
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        Assert.All(order.Activities.StateChanges, c => Assert.Equal(deadline, c.PaymentDeadline));
        Assert.Equal(0, order.Activities.InvoiceCalls);
        await order.ReplayAsync();
    }
}
