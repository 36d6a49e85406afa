using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>The order e-mail: sent once after the order ended, never in the way of the delivery.</summary>
[Collection(TemporalCollection.Name)]
public sealed class OrderEmailFlowTests(TemporalTestEnvironment environment)
{
    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_Delivered_OneDeliveredEmailAfterTheCompletedStateIsWritten(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(1501);
        await order.StartAsync();

        await order.SignalPaymentAsync("finished");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal([new OrderEmailRequest(order.Input.OrderId, OrderEmailKind.Delivered)], order.Activities.Emails);
        var completedAt = order.Activities.StateChanges.ToList().FindIndex(c => c.Stage == OrderStage.Completed);
        Assert.True(order.Activities.StateChangesBeforeEmails[0] > completedAt, "the e-mail went out before the order was completed");
        Assert.Contains((await order.HistoriesAsync())[^1].Events, e => e.EventType == EventType.MarkerRecorded);
        await order.ReplayAsync();
    }

    [Fact]
    public async Task Run_SmtpOutage_DeliveredFirstEmailSentOnRetry()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached, new InMemoryFulfillmentActivities { EmailOutageAttempts = 2 });
        order.Activities.AddStock(1502);
        await order.StartAsync();

        await order.SignalPaymentAsync("finished");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
        Assert.Single(order.Activities.Emails);
        var attempts = (await order.HistoriesAsync())[^1].Events
            .Where(e => e.EventType == EventType.ActivityTaskStarted)
            .Max(e => e.ActivityTaskStartedEventAttributes.Attempt);
        Assert.Equal(3, attempts);
        await order.ReplayAsync();
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_FinishedReportedWhileEmailIsSent_RecordedBeforeTheRunCloses(WorkerCache cache)
    {
        var emailGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var order = new FulfillmentHarness(environment, cache, new InMemoryFulfillmentActivities { EmailGate = emailGate });
        order.Activities.AddStock(1503);
        await order.StartAsync();
        await order.SignalPaymentAsync("confirmed");
        await order.Activities.EmailStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await order.SignalPaymentAsync("sending");
        await order.SignalPaymentAsync("finished");
        await order.WaitForAsync(s => s.PaymentStatus == PaymentStatus.Finished, "payment finished");
        emailGate.SetResult();
        var result = await order.ResultAsync();

        Assert.Equal((OrderStage.Completed, PaymentStatus.Finished), (result.Stage, result.PaymentStatus));
        Assert.Equal(["confirmed", "sending", "finished"], order.Activities.Payments.Select(p => p.Update.ProviderStatus));
        Assert.Equal(PaymentStatus.Finished, order.Activities.StateChanges[^1].PaymentStatus);
        await order.ReplayAsync(exportAs: cache == WorkerCache.Cached ? "finished-while-emailing" : null);
    }

    [Fact]
    public async Task Run_CancelledUnpaid_CancelledEmail()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        await order.StartAsync();
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        await order.Handle.SignalAsync(wf => wf.CancelAsync(new CancelOrderRequest("customer asked", "admin@flashfundx.test")));
        await order.ResultAsync();

        Assert.Equal([new OrderEmailRequest(order.Input.OrderId, OrderEmailKind.Cancelled)], order.Activities.Emails);
        await order.ReplayAsync();
    }

    [Fact]
    public async Task Run_AmountMismatch_NoEmail()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        await order.StartAsync();

        await order.SignalPaymentAsync("finished", amount: 50m);
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.RefundRequired, result.Stage);
        Assert.Empty(order.Activities.Emails);
        await order.ReplayAsync();
    }
}
