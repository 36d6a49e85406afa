using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>The order's way from invoice to paid (or not), end to end on a real worker.</summary>
[Collection(TemporalCollection.Name)]
public sealed class PaymentFlowTests(TemporalTestEnvironment environment)
{
    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_PaidBySignal_Delivered(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(501);
        await order.StartAsync();
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        await order.SignalPaymentAsync("waiting");
        await order.SignalPaymentAsync("finished");
        var result = await order.ResultAsync();

        Assert.Equal(new FulfillmentResult(order.Input.OrderId, OrderStage.Completed, OrderStatus.Completed, PaymentStatus.Finished, DeliveryStatus.Delivered, InMemoryFulfillmentActivities.DeliveredId(order.Input.OrderId)), result);
        Assert.Equal(
            [OrderStage.AwaitingPayment, OrderStage.Paid, OrderStage.Completed],
            Stages(order.Activities.StateChanges));
        Assert.Equal([new InMemoryDelivery(order.Input.OrderId, 501)], order.Activities.Deliveries);
        Assert.Single(order.Activities.Completions);
        Assert.Equal(1, order.Activities.InvoiceCalls);
        await order.ReplayAsync(exportAs: "paid-by-ipn");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_DuplicateAndOutOfOrderSignals_DeliveredOnce(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(601, 602);
        await order.StartAsync();

        await order.SignalPaymentAsync("waiting");
        await order.SignalPaymentAsync("waiting");
        await order.SignalPaymentAsync("finished");
        await order.SignalPaymentAsync("finished");
        await order.SignalPaymentAsync("waiting");
        await order.SignalPaymentAsync("confirming");
        await order.SignalPaymentAsync("finished", amount: 99m, parentPaymentId: "5077125051", paymentId: "5077125099");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.Single(order.Activities.Deliveries);
        Assert.Single(order.Activities.Completions);
        Assert.Equal(["waiting", "finished"], order.Activities.Payments.Select(p => p.Update.ProviderStatus));
        Assert.DoesNotContain(order.Activities.StateChanges, c => c.Stage == OrderStage.Paid && c.PaymentStatus == PaymentStatus.Waiting);
        await order.ReplayAsync();
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_SeveralReportsInOneSignal_AppliedInOrder_PaidNeverGoesBack(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(621);
        await order.StartAsync();
        await order.WaitForStageAsync(OrderStage.AwaitingPayment);

        await order.SignalPaymentsAsync("waiting", "confirming", "finished", "waiting");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.Equal(["waiting", "confirming", "finished"], order.Activities.Payments.Select(p => p.Update.ProviderStatus));
        Assert.Single(order.Activities.Deliveries);
        Assert.DoesNotContain(order.Activities.StateChanges, c => c.Stage == OrderStage.Paid && c.PaymentStatus == PaymentStatus.Waiting);
        await order.ReplayAsync(exportAs: "reports-in-one-signal");
    }

    [Fact]
    public async Task Run_FinishedThenWaiting_StaysPaid()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        order.Activities.AddStock(611);
        await order.StartAsync();

        await order.SignalPaymentAsync("finished");
        await order.SignalPaymentAsync("waiting");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.DoesNotContain(order.Activities.StateChanges, c => c.PaymentStatus == PaymentStatus.Waiting);
        await order.ReplayAsync();
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_PartialPaymentThenPaid_PartialVisibleThenDelivered(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(701);
        await order.StartAsync();

        await order.SignalPaymentAsync("partially_paid", actuallyPaid: 40m);
        var partial = await order.WaitForStageAsync(OrderStage.PartiallyPaid);
        await order.SignalPaymentAsync("finished");
        var result = await order.ResultAsync();

        Assert.Equal(PaymentStatus.PartiallyPaid, partial.PaymentStatus);
        Assert.Equal(OrderStatus.AwaitingPayment, partial.OrderStatus);
        Assert.Contains(order.Activities.StateChanges, c => c.Stage == OrderStage.PartiallyPaid && c.PaymentStatus == PaymentStatus.PartiallyPaid);
        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(DeliveryStatus.Delivered, result.DeliveryStatus);
        await order.ReplayAsync(exportAs: "partially-paid-then-paid");
    }

    [Theory]
    [InlineData(98, "usd", WorkerCache.Cached)]
    [InlineData(98, "usd", WorkerCache.Uncached)]
    [InlineData(99, "eur", WorkerCache.Cached)]
    [InlineData(99, "eur", WorkerCache.Uncached)]
    public async Task Run_PaidWithAmountMismatch_RefundRequiredNeverDelivered(int amount, string currency, WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(801);
        await order.StartAsync();

        await order.SignalPaymentAsync("finished", amount: amount, currency: currency);
        await order.SignalPaymentAsync("finished");
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.RefundRequired, result.Stage);
        Assert.Equal(PaymentStatus.AmountMismatch, result.PaymentStatus);
        Assert.Equal(DeliveryStatus.RefundRequired, result.DeliveryStatus);
        Assert.Empty(order.Activities.Deliveries);
        Assert.Equal(0, order.Activities.DeliveryCalls);
        Assert.Contains(order.Activities.Payments, p => p.EvaluatedStatus == PaymentStatus.AmountMismatch);
        Assert.Equal(PaymentStatus.AmountMismatch, order.Activities.StateChanges[^1].PaymentStatus);
        await order.ReplayAsync(exportAs: "amount-mismatch");
    }

    [Theory]
    [InlineData("failed", OrderStage.Failed, OrderStatus.Failed)]
    [InlineData("expired", OrderStage.Expired, OrderStatus.Expired)]
    [InlineData("refunded", OrderStage.Failed, OrderStatus.Failed)]
    public async Task Run_ProviderGaveUp_EndsUnpaid(string status, OrderStage stage, OrderStatus orderStatus)
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        order.Activities.AddStock(811);
        await order.StartAsync();

        await order.SignalPaymentAsync("waiting");
        await order.SignalPaymentAsync(status);
        var result = await order.ResultAsync();

        Assert.Equal(stage, result.Stage);
        Assert.Equal(orderStatus, result.OrderStatus);
        Assert.Equal(DeliveryStatus.Pending, result.DeliveryStatus);
        Assert.Empty(order.Activities.Deliveries);
        await order.ReplayAsync();
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_UnpaidPastDeadline_Expired(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        var settings = new FulfillmentSettings { PaymentTimeout = Virtual(TimeSpan.FromHours(24), TimeSpan.FromSeconds(3)) };
        await order.StartAsync(FulfillmentHarness.NewInput(settings));

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        Assert.Equal(OrderStatus.Expired, result.OrderStatus);
        Assert.Equal(PaymentStatus.Pending, result.PaymentStatus);
        Assert.Equal(DeliveryStatus.Pending, result.DeliveryStatus);
        Assert.Equal(0, order.Activities.PollCalls);
        var history = (await order.HistoriesAsync()).Single();
        var started = history.Events.First().EventTime.ToDateTime();
        var ended = history.Events.Last().EventTime.ToDateTime();
        Assert.True(ended - started >= settings.PaymentTimeout, $"ended after {ended - started}");
        await order.ReplayAsync(exportAs: "expired-unpaid");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_PartiallyPaidPastDeadline_ExpiredWithRefund(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        var settings = new FulfillmentSettings { PaymentTimeout = Virtual(TimeSpan.FromHours(24), TimeSpan.FromSeconds(3)), PollInitialInterval = TimeSpan.FromHours(48) };
        await order.StartAsync(FulfillmentHarness.NewInput(settings));

        await order.SignalPaymentAsync("partially_paid", actuallyPaid: 40m);
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        Assert.Equal(PaymentStatus.PartiallyPaid, result.PaymentStatus);
        Assert.Equal(DeliveryStatus.RefundRequired, result.DeliveryStatus);
        await order.ReplayAsync(exportAs: "partially-paid-expired");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_CancelWhileUnpaid_Cancelled(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(901);
        await order.StartAsync();
        await order.SignalPaymentAsync("waiting");
        await order.WaitForAsync(s => s.PaymentStatus == PaymentStatus.Waiting, "payment waiting");

        await order.Handle.SignalAsync(wf => wf.CancelAsync(new CancelOrderRequest("customer asked", "admin@flashfundx.test")));
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Cancelled, result.Stage);
        Assert.Equal(OrderStatus.Cancelled, result.OrderStatus);
        Assert.Equal(DeliveryStatus.Pending, result.DeliveryStatus);
        Assert.Contains("customer asked", order.Activities.StateChanges[^1].Note, StringComparison.Ordinal);
        Assert.Empty(order.Activities.Deliveries);
        await order.ReplayAsync(exportAs: "cancelled-unpaid");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_NoSignalAfterPaymentIdKnown_PollingFindsPayment(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(1001);
        var settings = new FulfillmentSettings
        {
            PollInitialInterval = Virtual(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200)),
            PollMaxInterval = Virtual(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(1)),
        };
        await order.StartAsync(FulfillmentHarness.NewInput(settings));
        await order.SignalPaymentAsync("waiting");
        await order.WaitForAsync(s => s.PaymentId is not null, "payment id known");

        order.Activities.SetProviderPayment(new PaymentUpdate("5077125051", "finished", 99m, "usd", 99m, "usdtbsc"));
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.True(order.Activities.PollCalls >= 1);
        Assert.Equal("poll", order.Activities.Payments.Single(p => p.Update.ProviderStatus == "finished").Update.Source);
        await order.ReplayAsync(exportAs: "paid-by-polling");
    }

    [Theory]
    [InlineData(WorkerCache.Cached)]
    [InlineData(WorkerCache.Uncached)]
    public async Task Run_NoIpnEver_InvoiceLookupFindsPayment(WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(1101);
        order.Activities.SetProviderPayment(new PaymentUpdate("5077125099", "finished", 99m, "usd", 99m, "usdtbsc"));
        var settings = LookupSettings(TimeSpan.FromHours(24), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        await order.StartAsync(FulfillmentHarness.NewInput(settings));

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Equal(PaymentStatus.Finished, result.PaymentStatus);
        Assert.True(order.Activities.InvoiceLookups >= 1);
        Assert.Equal(0, order.Activities.PollCalls);
        var recorded = Assert.Single(order.Activities.Payments);
        Assert.Equal(("5077125099", "poll"), (recorded.Update.PaymentId, recorded.Update.Source));
        Assert.Single(order.Activities.Deliveries);
        await order.ReplayAsync(exportAs: "paid-by-invoice-lookup");
    }

    [Theory]
    [InlineData("finished", OrderStage.Completed, PaymentStatus.Finished, DeliveryStatus.Delivered, 1, WorkerCache.Cached)]
    [InlineData("finished", OrderStage.Completed, PaymentStatus.Finished, DeliveryStatus.Delivered, 1, WorkerCache.Uncached)]
    [InlineData("confirming", OrderStage.Expired, PaymentStatus.Confirming, DeliveryStatus.RefundRequired, 0, WorkerCache.Cached)]
    [InlineData("confirming", OrderStage.Expired, PaymentStatus.Confirming, DeliveryStatus.RefundRequired, 0, WorkerCache.Uncached)]
    public async Task Run_EveryIpnLostBeforeTheFirstLookup_CheckAtTheDeadlineDecides(string providerStatus, OrderStage stage, PaymentStatus paymentStatus, DeliveryStatus deliveryStatus, int deliveries, WorkerCache cache)
    {
        await using var order = new FulfillmentHarness(environment, cache);
        order.Activities.AddStock(1201);
        order.Activities.SetProviderPayment(new PaymentUpdate("5077125100", providerStatus, 99m, "usd", 99m, "usdtbsc"));
        // No regular lookup before the deadline: only the check at the deadline can see the payment.
        var settings = new FulfillmentSettings { PaymentTimeout = Virtual(TimeSpan.FromHours(24), TimeSpan.FromSeconds(2)), InvoiceLookupInitialInterval = TimeSpan.FromHours(48) };
        await order.StartAsync(FulfillmentHarness.NewInput(settings));

        var result = await order.ResultAsync();

        Assert.Equal((stage, paymentStatus, deliveryStatus), (result.Stage, result.PaymentStatus, result.DeliveryStatus));
        Assert.Equal(1, order.Activities.InvoiceLookups);
        Assert.Equal(deliveries, order.Activities.Deliveries.Count);
        await order.ReplayAsync(exportAs: deliveries == 1 ? "paid-found-at-deadline" : null);
    }

    [Fact]
    public async Task Run_InvoiceLookupNotConfigured_AsksOnceThenWaitsForIpnsUntilExpiry()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        order.Activities.InvoiceLookupAvailable = false;
        var settings = LookupSettings(Virtual(TimeSpan.FromHours(2), TimeSpan.FromSeconds(3)), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400));
        await order.StartAsync(FulfillmentHarness.NewInput(settings));

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        Assert.Equal(1, order.Activities.InvoiceLookups);
        Assert.Empty(order.Activities.Payments);
        await order.ReplayAsync();
    }

    [Fact]
    public async Task Run_PollingInterval_DoublesUpToTheCap()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        var settings = new FulfillmentSettings
        {
            PaymentTimeout = Virtual(TimeSpan.FromHours(2), TimeSpan.FromSeconds(4)),
            PollInitialInterval = Virtual(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100)),
            PollMaxInterval = Virtual(TimeSpan.FromMinutes(15), TimeSpan.FromMilliseconds(800)),
        };
        await order.StartAsync(FulfillmentHarness.NewInput(settings));
        await order.SignalPaymentAsync("waiting");

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        var polls = await AssertDoublingScheduleAsync(order, "CheckPayment", settings.PollMaxInterval);
        if (environment.SupportsTimeSkipping)
        {
            // 1, 2, 4, 8, 15, 15, … minutes over two hours.
            Assert.InRange(polls, 9, 12);
        }
        await order.ReplayAsync();
    }

    [Fact]
    public async Task Run_NoIpn_InvoiceLookupsDoubleUpToTheirCapThenOneAtTheDeadline()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        var settings = LookupSettings(Virtual(TimeSpan.FromHours(24), TimeSpan.FromSeconds(4)), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(800));
        await order.StartAsync(FulfillmentHarness.NewInput(settings));

        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Expired, result.Stage);
        var lookups = await AssertDoublingScheduleAsync(order, "FindInvoicePayments", settings.InvoiceLookupMaxInterval);
        if (environment.SupportsTimeSkipping)
        {
            // 5, 15, 35, 75, 155 minutes, then every 2 hours to 24 h, then the deadline's check.
            Assert.InRange(lookups, 14, 17);
        }
        Assert.Equal(0, order.Activities.PollCalls);
        await order.ReplayAsync();
    }

    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Checks that the calls of <paramref name="activity"/> in the order's one run came ever less often, never further
    /// apart than <paramref name="max"/>, and returns how many there were. The last call is the check at the payment
    /// deadline, off the schedule, so only the gaps before it count.
    /// </summary>
    private static async Task<int> AssertDoublingScheduleAsync(FulfillmentHarness order, string activity, TimeSpan max)
    {
        var history = (await order.HistoriesAsync()).Single();
        var calls = history.Events
            .Where(e => e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityType.Name == activity)
            .Select(e => e.EventTime.ToDateTime())
            .ToList();
        var scheduled = calls.SkipLast(1).ToList();
        var gaps = scheduled.Zip(scheduled.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.Count >= 3, $"{calls.Count} {activity} calls");
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second >= pair.First - Tolerance, $"{pair.First} then {pair.Second}"));
        Assert.All(gaps, gap => Assert.True(gap <= max + Tolerance, $"gap {gap}"));
        return calls.Count;
    }

    private FulfillmentSettings LookupSettings(TimeSpan paymentTimeout, TimeSpan realTimeInitial, TimeSpan realTimeMax) => new()
    {
        PaymentTimeout = paymentTimeout,
        InvoiceLookupInitialInterval = Virtual(TimeSpan.FromMinutes(5), realTimeInitial),
        InvoiceLookupMaxInterval = Virtual(TimeSpan.FromHours(2), realTimeMax),
    };

    private TimeSpan Virtual(TimeSpan skipped, TimeSpan realTime) => environment.SupportsTimeSkipping ? skipped : realTime;

    internal static List<OrderStage> Stages(IEnumerable<OrderStateChange> changes)
    {
        var stages = new List<OrderStage>();
        foreach (var change in changes)
        {
            if (stages.Count == 0 || stages[^1] != change.Stage)
            {
                stages.Add(change.Stage);
            }
        }
        return stages;
    }
}
