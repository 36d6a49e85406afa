using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>Week-long waits continue as new, so no run's history grows with the length of the wait.</summary>
[Collection(TemporalCollection.Name)]
public sealed class LongWaitTests(TemporalTestEnvironment environment)
{
    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_WeekLongPaymentWait_ContinuesAsNewWithBoundedHistory(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        var settings = environment.SupportsTimeSkipping
            ? new FulfillmentSettings { PaymentTimeout = TimeSpan.FromDays(7), PollMaxInterval = TimeSpan.FromHours(1), MaxWaitsPerRun = 25 }
            : new FulfillmentSettings { PaymentTimeout = TimeSpan.FromSeconds(8), PollInitialInterval = TimeSpan.FromMilliseconds(50), PollMaxInterval = TimeSpan.FromMilliseconds(100), MaxWaitsPerRun = 20 };
        var input = FulfillmentHarness.NewInput(settings);
        await order.StartAsync(input);
        await order.SignalPaymentAsync("waiting");

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        Assert.Equal(PaymentStatus.Waiting, result.PaymentStatus);
        var runs = await order.HistoriesAsync();
        Assert.True(runs.Count >= 3, $"{runs.Count} runs");
        Assert.All(runs, run => Assert.True(run.Events.Count < (settings.MaxWaitsPerRun * 12) + 30, $"{run.Events.Count} events in one run"));
        Assert.All(runs.SkipLast(1), run => Assert.Equal(EventType.WorkflowExecutionContinuedAsNew, run.Events.Last().EventType));
        // The deadline is the first run's: carried over, never restarted by a new run.
        var firstStart = runs[0].Events.First().EventTime.ToDateTime();
        var lastEnd = runs[^1].Events.Last().EventTime.ToDateTime();
        Assert.InRange(lastEnd - firstStart, settings.PaymentTimeout, settings.PaymentTimeout + TimeSpan.FromHours(1));
        var status = await order.StatusAsync();
        Assert.Equal(order.Activities.PollCalls, status.Attempts);
        Assert.Equal(1, order.Activities.InvoiceCalls);
        await order.ReplayAsync(exportAs: "long-payment-wait-continued");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_LongInventoryWait_ContinuesAsNewAndDelivers(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        var settings = new FulfillmentSettings
        {
            InventoryRecheckInterval = environment.SupportsTimeSkipping ? TimeSpan.FromMinutes(10) : TimeSpan.FromMilliseconds(50),
            MaxWaitsPerRun = 5,
        };
        await order.StartAsync(FulfillmentHarness.NewInput(settings));
        await order.SignalPaymentAsync("finished");
        await environment.DelayAsync(environment.SupportsTimeSkipping ? TimeSpan.FromHours(3) : TimeSpan.FromSeconds(1.5));
        await order.WaitForAsync(s => s.Attempts >= 12, "a dozen reservation attempts");

        order.Activities.AddStock(1401);
        await order.Handle.SignalAsync(wf => wf.InventoryRestockedAsync());
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(1401, order.Activities.Deliveries.Single().AccountId);
        Assert.True((await order.HistoriesAsync()).Count >= 3);
        Assert.Single(order.Activities.Payments);
        await order.ReplayAsync(exportAs: "long-inventory-wait-continued");
    }
}
