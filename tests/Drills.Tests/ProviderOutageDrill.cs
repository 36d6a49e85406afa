using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using Temporalio.Api.Enums.V1;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 5, "Provider outage": NowPayments answers 500s and then times out for a while, first while invoices are
/// created, later while payments are polled. Orders complete once it recovers, through Temporal's retries only: the
/// provider sees exactly one call per activity attempt, so nothing in the app retries on its own.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class ProviderOutageDrill(ITestOutputHelper output)
{
    private static readonly int OrderCount = DrillScale.Pick(ci: 20, full: 50);
    private static readonly TimeSpan ErrorsFor = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan TimeoutsFor = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ProviderFailsThenTimesOut_DuringInvoiceAndPolling_OrdersCompleteThroughTemporalRetriesOnly()
    {
        var log = new DrillLog(output, "provider-outage");
        log.Line($"{DrillScale.Describe("orders", "20", "50")}: {OrderCount} orders; each outage: HTTP 500 for {ErrorsFor.TotalSeconds:0}s, then requests hang past the client's {ClientTimeout.TotalSeconds:0}s timeout for {TimeoutsFor.TotalSeconds:0}s");
        await using var service = await FulfillmentService.StartAsync(new()
        {
            DatabaseLabel = "drill_provider",
            PollInitialInterval = TimeSpan.FromSeconds(1),
            PollMaxInterval = TimeSpan.FromSeconds(2),
            Settings = { ["NowPayments:RequestTimeout"] = ClientTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture) },
        });
        await service.ImportInventoryAsync(OrderCount);

        // Outage 1: invoice creation.
        InjectOutage(service.Simulator, "/invoice");
        var orders = await Orders.CreateManyAsync(service, OrderCount, users: Math.Max(1, OrderCount / 4));
        var invoices = await Task.WhenAll(orders.Select(o => service.WaitForInvoiceAsync(o.Order.OrderId, TimeSpan.FromSeconds(90))));
        var invoiceCalls = Summarize(service.Simulator, "/invoice");
        log.Line($"invoice outage over: {invoices.Length} invoices created; POST /invoice calls: {invoiceCalls}");

        // Outage 2: payment polling. Each order's payment is announced ('waiting' IPN), then settles silently.
        var payments = await Task.WhenAll(invoices.Select(i => service.Simulator.PayInvoiceAsync(i.Id, NowPaymentsStatuses.Waiting)));
        var known = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM orders WHERE payment_status = 'waiting'", OrderCount, TimeSpan.FromSeconds(30), log, "orders knowing their payment id");
        InjectOutage(service.Simulator, "/payment");
        await Task.WhenAll(payments.Select(p => service.Simulator.SetStatusAsync(p.PaymentId, NowPaymentsStatuses.Finished, deliverIpn: false)));
        log.Line("payments finished at the provider without IPNs: only polling can see them, and polling fails for now");
        var completed = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM orders WHERE order_status = 'completed'", OrderCount, TimeSpan.FromSeconds(90), log, "orders completed");
        var pollCalls = Summarize(service.Simulator, "/payment");
        log.Line($"GET /payment calls: {pollCalls}");

        var ledger = await Ledger.ReadAsync(service.DataSource);
        ledger.Print(log, OrderCount);
        var attempts = await CountAttemptsAsync(service, orders.Select(o => o.Order.OrderId));
        var invoicesAtProvider = service.Simulator.GetInvoices();
        log.Line("Temporal attempts against provider calls:");
        log.Count("CreateInvoice attempts (histories)", attempts.InvoiceAttempts, invoiceCalls.Total);
        log.Count("orders whose CreateInvoice needed more than one attempt", attempts.OrdersRetried);
        log.Count("CheckPayment + FindInvoicePayments attempts (histories)", attempts.PollAttempts, pollCalls.Total);
        log.Count("invoices at the provider", invoicesAtProvider.Count, OrderCount);
        log.Count("orders with more than one invoice", invoicesAtProvider.GroupBy(i => i.OrderId).Count(g => g.Count() > 1), 0);
        log.Line($"drill took {log.Elapsed.TotalSeconds:0}s");

        Assert.Equal(OrderCount, known);
        Assert.True(invoiceCalls.Errors > 0 && invoiceCalls.TimedOut > 0, $"the invoice outage was not seen: {invoiceCalls}");
        Assert.True(pollCalls.Errors > 0 && pollCalls.TimedOut > 0, $"the polling outage was not seen: {pollCalls}");
        Assert.True(completed == OrderCount, $"{completed}/{OrderCount} completed: {await Ledger.OrderStatesAsync(service.DataSource)}\n{service.Logs.Tail()}");
        WorkerCrashDrill.AssertDeliveredExactlyOnce(ledger, OrderCount);
        Assert.Equal(invoiceCalls.Total, attempts.InvoiceAttempts);
        Assert.Equal(pollCalls.Total, attempts.PollAttempts);
        Assert.True(attempts.OrdersRetried > 0);
        Assert.Equal(OrderCount, invoicesAtProvider.Count);
    }

    /// <summary>500s for <see cref="ErrorsFor"/>, then hanging requests (past the client timeout) until <see cref="TimeoutsFor"/> later.</summary>
    private static void InjectOutage(NowPaymentsSimulator simulator, string path)
    {
        simulator.InjectFaults(new SimulatorFault { StatusCode = 500, Duration = ErrorsFor, PathPrefix = path });
        // Faults apply oldest first: this one takes over when the 500s expire.
        simulator.InjectFaults(new SimulatorFault { Delay = ClientTimeout * 3, Duration = ErrorsFor + TimeoutsFor, PathPrefix = path });
    }

    private sealed record Calls(int Total, int Errors, int TimedOut, int Ok)
    {
        public override string ToString() => $"{Total} in all: {Errors} answered 500, {TimedOut} timed out (client gave up), {Ok} succeeded";
    }

    private static Calls Summarize(NowPaymentsSimulator simulator, string path)
    {
        var calls = simulator.GetApiCalls().Where(c => c.Path.StartsWith(path, StringComparison.Ordinal)).ToArray();
        return new Calls(calls.Length, calls.Count(c => c.StatusCode == 500), calls.Count(c => c.StatusCode == 499), calls.Count(c => c.StatusCode is >= 200 and < 300));
    }

    private sealed record Attempts(int InvoiceAttempts, int OrdersRetried, int PollAttempts);

    /// <summary>Per activity, the attempt number of its last start: how many times Temporal ran it.</summary>
    private static async Task<Attempts> CountAttemptsAsync(FulfillmentService service, IEnumerable<string> orderIds)
    {
        int invoice = 0, retried = 0, polls = 0;
        foreach (var orderId in orderIds)
        {
            await service.WaitForWorkflowResultAsync(orderId, TimeSpan.FromSeconds(30));
            var history = await service.FetchHistoryAsync(orderId);
            var events = history.Events;
            var types = events.Where(e => e.EventType == EventType.ActivityTaskScheduled)
                .ToDictionary(e => e.EventId, e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name);
            foreach (var started in events.Where(e => e.EventType == EventType.ActivityTaskStarted))
            {
                var attributes = started.ActivityTaskStartedEventAttributes;
                switch (types[attributes.ScheduledEventId])
                {
                    case "CreateInvoice":
                        invoice += attributes.Attempt;
                        retried += attributes.Attempt > 1 ? 1 : 0;
                        break;
                    case "CheckPayment":
                    case "FindInvoicePayments": // one GET /payment/?invoiceId= per attempt, before the 'waiting' IPN named the payment
                        polls += attributes.Attempt;
                        break;
                }
            }
            // The invoice is a local activity: its marker holds the attempt that completed it.
            foreach (var attempt in history.LocalActivityAttempts("CreateInvoice"))
            {
                invoice += attempt;
                retried += attempt > 1 ? 1 : 0;
            }
        }
        return new Attempts(invoice, retried, polls);
    }
}
