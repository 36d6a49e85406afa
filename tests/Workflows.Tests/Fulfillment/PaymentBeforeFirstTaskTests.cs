using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>
/// A payment report that reaches the run before its first workflow task, with a status query riding that task, as
/// when an IPN and an ops query arrive while the worker is busy. Answering the query while a local activity runs makes
/// the core SDK complete the task early, and the activity's marker can land one task before the workflow sees its
/// result; a run that then calls Patched() replays differently from how it ran (nondeterminism). Whether the marker
/// lands early is a race inside the SDK, so each case runs a few orders.
/// </summary>
[Collection(TemporalCollection.Name)]
public sealed class PaymentBeforeFirstTaskTests(TemporalTestEnvironment environment)
{
    private const int Orders = 4;

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_WaitingReportAndQueryBeforeFirstTask_AwaitsPaymentAndReplays(WorkerCache cache)
    {
        for (var i = 0; i < Orders; i++)
        {
            await using var order = new FulfillmentHarness(environment, cache, startWorker: false);
            await StartWithReportAndQueryAsync(order, "waiting");

            var waiting = await order.WaitForStageAsync(OrderStage.AwaitingPayment);

            Assert.Equal(PaymentStatus.Waiting, waiting.PaymentStatus);
            Assert.NotNull(waiting.InvoiceId);
            Assert.Contains(order.Activities.Payments, p => p.EvaluatedStatus == PaymentStatus.Waiting);
            await order.ReplayAsync(exportAs: "waiting-before-first-task");
        }
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_PaidReportAndQueryBeforeFirstTask_DeliveredAndReplays(WorkerCache cache)
    {
        for (var i = 0; i < Orders; i++)
        {
            await using var order = new FulfillmentHarness(environment, cache, startWorker: false);
            order.Activities.AddStock(1201);
            await StartWithReportAndQueryAsync(order, "finished");

            var result = await order.ResultAsync();

            Assert.Equal(OrderStage.Completed, result.Stage);
            Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
            Assert.Equal(1201, order.Activities.Deliveries.Single().AccountId);
            Assert.Contains(order.Activities.Payments, p => p.EvaluatedStatus == PaymentStatus.Finished);
            await order.ReplayAsync(exportAs: "paid-before-first-task");
        }
    }

    /// <summary>Start, report, query, and only then the worker: its first task carries both the report and the query.</summary>
    private static async Task StartWithReportAndQueryAsync(FulfillmentHarness order, string status)
    {
        await order.StartAsync();
        await order.SignalPaymentAsync(status);
        var query = order.StatusAsync();
        // Long enough for the query to reach the server and wait there for the first task.
        await Task.Delay(200);
        order.StartWorker();
        await query;
    }
}
