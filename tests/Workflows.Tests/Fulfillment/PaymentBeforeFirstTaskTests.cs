using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>
/// A payment report that reaches the run before its first workflow task, as when an IPN arrives while every worker is
/// busy: the first task carries the start and the signal, and the invoice's local activity runs with the report
/// already applied.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class PaymentBeforeFirstTaskTests(TemporalTestEnvironment environment)
{
    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_WaitingReportBeforeFirstTask_AwaitsPaymentAndReplays(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache, startWorker: false);
        await StartWithReportAsync(order, "waiting");

        var waiting = await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        Assert.Equal(PaymentStatus.Waiting, waiting.PaymentStatus);
        Assert.NotNull(waiting.InvoiceId);
        Assert.Contains(order.Activities.Payments, p => p.EvaluatedStatus == PaymentStatus.Waiting);
        await order.ReplayAsync(exportAs: "waiting-before-first-task");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_PaidReportBeforeFirstTask_DeliveredAndReplays(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache, startWorker: false);
        order.Activities.AddStock(1201);
        await StartWithReportAsync(order, "finished");

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
        Assert.Equal(1201, order.Activities.Deliveries.Single().AccountId);
        Assert.Contains(order.Activities.Payments, p => p.EvaluatedStatus == PaymentStatus.Finished);
        await order.ReplayAsync(exportAs: "paid-before-first-task");
    }

    /// <summary>Start and report, and only then the worker: its first task carries the report.</summary>
    private static async Task StartWithReportAsync(FulfillmentHarness order, string status)
    {
        await order.StartAsync();
        await order.SignalPaymentAsync(status);
        order.StartWorker();
    }
}
