using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using FlashFundX.Drills.Tests.Infrastructure;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using Xunit;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests;

/// <summary>
/// Issue 5, "Webhook storm": many IPNs in a short time from several concurrent senders, 10% with forged signatures,
/// 20% duplicates and 10% out of order. webhook_events holds exactly the expected rows per outcome, forged IPNs
/// deliver nothing, nothing is delivered twice, and every valid IPN is acknowledged within 3 s.
/// </summary>
/// <remarks>
/// Paid orders have no stock during the storm (they wait for inventory, their workflows keep running), so every valid
/// IPN reaches a running workflow and the expected counts do not depend on timing; stock is imported afterwards —
/// enough for the victims of forged IPNs too, so a forged payment would show as a delivery.
/// </remarks>
[Collection(DrillCollection.Name)]
public sealed class WebhookStormDrill(ITestOutputHelper output)
{
    private static readonly int Total = DrillScale.Pick(ci: 500, full: 2000);
    private static readonly TimeSpan Window = DrillScale.Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
    private const int Senders = 8;
    private static readonly TimeSpan AckLimit = TimeSpan.FromSeconds(3);
    private static readonly string[] Walk =
    [
        NowPaymentsStatuses.Waiting, NowPaymentsStatuses.Confirming, NowPaymentsStatuses.Confirmed,
        NowPaymentsStatuses.Sending, NowPaymentsStatuses.Finished,
    ];

    private enum Kind { Valid, Duplicate, Forged }

    private sealed record Ipn(Kind Kind, string OrderId, string Status, byte[] Body, string? Signature, bool OutOfOrder, string Forgery = "");

    private sealed record Sent(Ipn Ipn, int Status, TimeSpan Elapsed, string? Error);

    [Fact]
    public async Task Storm_ForgedDuplicateAndOutOfOrderIpns_ExactOutcomesNoForgedOrDoubleDeliveries()
    {
        var log = new DrillLog(output, "webhook-storm");
        var seed = DrillScale.Seed();
        var random = new Random(seed);
        var forged = Total / 10;
        var duplicates = Total / 5;
        var unique = Total - forged - duplicates;           // 70%: 5 per paid order
        var paidCount = unique / Walk.Length;
        var reversedCount = Total / 10 / Walk.Length;       // 10% of all IPNs belong to walks sent newest first
        var victimCount = forged / 2 / Walk.Length;         // half the forgeries claim payment for orders nobody paid
        log.Line($"{DrillScale.Describe("IPNs in window", "500 in 10 s", "2,000 in 30 s")}: {Total} IPNs in {Window.TotalSeconds:0}s from {Senders} senders, seed {seed}");
        log.Line($"  plan: {paidCount} paid orders × {Walk.Length} statuses = {unique} valid ({reversedCount} orders, {reversedCount * Walk.Length} IPNs, out of order), " +
                 $"{duplicates} duplicates, {forged} forged ({victimCount} unpaid victim orders get {victimCount * Walk.Length} of them)");

        await using var service = await FulfillmentService.StartAsync(new()
        {
            DatabaseLabel = "drill_storm",
            // Only IPNs move payments during the drill (no provider polling).
            PollInitialInterval = TimeSpan.FromMinutes(10),
        });
        var orders = await Orders.CreateManyAsync(service, paidCount + victimCount, users: Math.Max(1, (paidCount + victimCount) / 4), accountSize: 50000, platform: "mt4");
        var invoices = await Task.WhenAll(orders.Select(o => service.WaitForInvoiceAsync(o.Order.OrderId, TimeSpan.FromSeconds(60))));
        var paidInvoices = invoices.Take(paidCount).ToArray();
        var victims = orders.Skip(paidCount).Select(o => o.Order).ToArray();
        // The money really reaches the provider (so a later poll agrees), but its own IPNs are suppressed: the drill sends them.
        var payments = new SimulatedPayment[paidCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, paidCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            payments[i] = await service.Simulator.PayInvoiceAsync(paidInvoices[i].Id, new PayInvoice { Delivery = IpnDelivery.Suppressed }, ct));
        log.Line($"created {orders.Count} orders (50k MT4, no stock yet); {paidCount} paid at the provider with IPNs suppressed");

        var plan = Plan(service.IpnSecret, payments, victims, reversedCount, duplicates, forged, random);
        var results = await StormAsync(new Uri(service.BaseAddress, "webhooks/nowpayments"), plan, log);

        var waiting = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM orders WHERE delivery_status = 'waiting_inventory'", paidCount, TimeSpan.FromMinutes(1), log, "paid orders waiting for inventory");
        var outcomes = (await service.QueryAsync<(string Outcome, long Count)>("SELECT outcome, count(*) FROM webhook_events GROUP BY 1"))
            .ToDictionary(r => r.Outcome, r => r.Count);
        long Outcome(string name) => outcomes.GetValueOrDefault(name);
        var invalidRows = await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE NOT signature_valid");
        var victimIds = victims.Select(v => v.OrderId).ToArray();
        var victimPayments = await service.ScalarAsync<long>("SELECT count(*) FROM payment_transactions WHERE order_id = ANY(@victimIds)", new { victimIds });
        var victimAccepted = await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE order_id = ANY(@victimIds) AND outcome <> 'invalid_signature'", new { victimIds });
        // While an order waits for inventory its workflow does not record later payment reports (see the report of issue 5):
        // the row may still say 'confirmed' here. Printed, not asserted; the final state is asserted after delivery.
        var interimPayment = await service.QueryAsync<string>(
            "SELECT payment_status FROM orders WHERE NOT (order_id = ANY(@victimIds))", new { victimIds });

        var import = await service.ImportInventoryAsync(paidCount + victimCount, accountSize: 50000, platform: "mt4");
        var completed = await Orders.WaitForCountAsync(service.DataSource,
            "SELECT count(*) FROM orders WHERE order_status = 'completed'", paidCount, TimeSpan.FromMinutes(2), log, "orders completed after the import");
        // Every run closed (delivered) or parked (the victims, unpaid): late IPNs and deliveries are all in the rows now.
        await Settled.WaitAsync(service, orders.Select(o => o.Order.OrderId), TimeSpan.FromMinutes(1));
        var ledger = await Ledger.ReadAsync(service.DataSource);
        var notFinished = await service.ScalarAsync<long>(
            "SELECT count(*) FROM orders WHERE NOT (order_id = ANY(@victimIds)) AND payment_status <> 'finished'", new { victimIds });
        var victimStates = await service.QueryAsync<string>("SELECT order_status || '/' || payment_status || '/' || delivery_status FROM orders WHERE order_id = ANY(@victimIds)", new { victimIds });

        var valid = results.Where(r => r.Ipn.Kind != Kind.Forged).ToArray();
        var slowest = valid.Max(r => r.Elapsed);
        var sorted = valid.Select(r => r.Elapsed.TotalMilliseconds).Order().ToArray();
        log.Line("answers:");
        foreach (var group in results.GroupBy(r => (r.Ipn.Kind, r.Status)).OrderBy(g => g.Key.Kind))
        {
            log.Line($"  {group.Key.Kind} → HTTP {group.Key.Status}: {group.Count()}");
        }
        log.Line($"  valid IPN acknowledgement: p50 {Percentile(sorted, 0.50):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms, max {slowest.TotalMilliseconds:0.0} ms (limit {AckLimit.TotalSeconds:0} s)");
        log.Line("webhook_events by outcome:");
        log.Count("accepted", Outcome("accepted"), unique);
        log.Count("duplicate", Outcome("duplicate"), duplicates);
        log.Count("invalid_signature", Outcome("invalid_signature"), forged);
        log.Count("orphaned", Outcome("orphaned"), 0);
        log.Count("malformed", Outcome("malformed"), 0);
        log.Count("rows with signature_valid = false", invalidRows, forged);
        log.Count("all rows", outcomes.Values.Sum(), Total);
        log.Line("effects:");
        log.Line($"  paid orders' payment_status while waiting for inventory: {string.Join(", ", interimPayment.GroupBy(p => p).Select(g => $"{g.Key}×{g.Count()}"))} (every walk ended 'finished')");
        log.Count("paid orders whose payment ends 'finished' once delivered (stale IPNs ignored)", paidCount - notFinished, paidCount);
        log.Count("payment_transactions of forged-IPN victims", victimPayments, 0);
        log.Count("non-rejected webhook_events of victims", victimAccepted, 0);
        log.Line($"  victims after the import: {string.Join(", ", victimStates.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}"))}");
        log.Line($"imported {import.Imported} accounts (enough for the victims too); signalled {import.NotifiedOrders} waiting orders");
        ledger.Print(log, paidCount);
        log.Count("accounts left available (the victims' share)", ledger.AccountsAvailable, victimCount);
        log.Line($"drill took {log.Elapsed.TotalSeconds:0}s");

        Assert.Equal(Total, results.Count);
        Assert.All(valid, r => Assert.True(r.Status == 200, $"{r.Ipn.Kind} {r.Ipn.Status} for {r.Ipn.OrderId} answered {r.Status} {r.Error}"));
        Assert.All(results.Where(r => r.Ipn.Kind == Kind.Forged), r => Assert.True(r.Status == 401, $"forged ({r.Ipn.Forgery}) answered {r.Status}"));
        Assert.True(slowest <= AckLimit, $"slowest valid IPN took {slowest.TotalMilliseconds:0} ms");
        Assert.Equal(paidCount, waiting);
        Assert.Equal(
            (unique, duplicates, forged, 0L, 0L, forged, (long)Total),
            (Outcome("accepted"), Outcome("duplicate"), Outcome("invalid_signature"), Outcome("orphaned"), Outcome("malformed"), invalidRows, outcomes.Values.Sum()));
        Assert.Equal(0, notFinished);
        Assert.Equal((0L, 0L), (victimPayments, victimAccepted));
        Assert.Equal(paidCount, completed);
        WorkerCrashDrill.AssertDeliveredExactlyOnce(ledger, paidCount);
        Assert.Equal(victimCount, ledger.AccountsAvailable);
        Assert.All(victimStates, s => Assert.StartsWith("awaiting_payment/", s, StringComparison.Ordinal));
    }

    /// <summary>Each sender's queue: its orders' walks interleaved (each walk in order, or newest first), duplicates after their original, forgeries anywhere.</summary>
    private static List<Ipn>[] Plan(string secret, SimulatedPayment[] payments, OrderSnapshot[] victims, int reversedCount, int duplicates, int forged, Random random)
    {
        var queues = Enumerable.Range(0, Senders).Select(_ => new List<Ipn>()).ToArray();
        var validAll = new List<(int Sender, Ipn Ipn)>();
        var sequences = Enumerable.Range(0, Senders).Select(_ => new List<Queue<Ipn>>()).ToArray();
        for (var i = 0; i < payments.Length; i++)
        {
            var reversed = i < reversedCount;
            var walk = Walk.Select((status, step) =>
            {
                var body = IpnBody(payments[i], status, step);
                return new Ipn(Kind.Valid, payments[i].OrderId, status, body, IpnSignature.Compute(body, secret), reversed);
            }).ToList();
            if (reversed)
            {
                walk.Reverse();
            }
            sequences[i % Senders].Add(new Queue<Ipn>(walk));
            validAll.AddRange(walk.Select(w => (i % Senders, w)));
        }
        for (var s = 0; s < Senders; s++)
        {
            // Interleave the sender's walks at random, keeping each walk's own order.
            var open = sequences[s];
            while (open.Count > 0)
            {
                var pick = open[random.Next(open.Count)];
                queues[s].Add(pick.Dequeue());
                if (pick.Count == 0)
                {
                    open.Remove(pick);
                }
            }
        }
        for (var d = 0; d < duplicates; d++)
        {
            var (sender, original) = validAll[random.Next(validAll.Count)];
            var at = queues[sender].IndexOf(original);
            queues[sender].Insert(random.Next(at + 1, queues[sender].Count + 1), original with { Kind = Kind.Duplicate });
        }
        var forgeries = new List<Ipn>();
        var wrongSecret = "not-the-ipn-secret-" + random.Next();
        for (var v = 0; v < victims.Length; v++)
        {
            var victim = new SimulatedPayment((9_100_000_000L + v).ToString(CultureInfo.InvariantCulture), "9100000000", null, victims[v].OrderId,
                NowPaymentsStatuses.Finished, victims[v].PriceAmount, victims[v].PriceCurrency.ToLowerInvariant(), 100m, 100m, "usdttrc20", DateTimeOffset.UtcNow);
            for (var step = 0; step < Walk.Length; step++)
            {
                forgeries.Add(Forge(victim, Walk[step], step, forgeries.Count, secret, wrongSecret));
            }
        }
        // The rest of the forgeries tamper with real, paid orders' IPNs.
        for (var f = forgeries.Count; f < forged; f++)
        {
            var (_, original) = validAll[random.Next(validAll.Count)];
            var payment = payments.First(p => p.OrderId == original.OrderId);
            forgeries.Add(Forge(payment, NowPaymentsStatuses.Finished, 4, forgeries.Count, secret, wrongSecret));
        }
        foreach (var forgery in forgeries)
        {
            var queue = queues[random.Next(Senders)];
            queue.Insert(random.Next(queue.Count + 1), forgery);
        }
        return [.. queues];
    }

    /// <summary>A forged IPN, one of four ways: a wrong secret, a tampered body under a real signature, no signature, garbage.</summary>
    private static Ipn Forge(SimulatedPayment payment, string status, int step, int index, string secret, string wrongSecret)
    {
        var body = IpnBody(payment, status, step);
        return (index % 4) switch
        {
            0 => new Ipn(Kind.Forged, payment.OrderId, status, body, IpnSignature.Compute(body, wrongSecret), false, "wrong secret"),
            1 => new Ipn(Kind.Forged, payment.OrderId, status,
                IpnBody(payment with { PriceAmount = payment.PriceAmount / 100 }, status, step), IpnSignature.Compute(body, secret), false, "tampered body"),
            2 => new Ipn(Kind.Forged, payment.OrderId, status, body, null, false, "no signature"),
            _ => new Ipn(Kind.Forged, payment.OrderId, status, body, new string('a', 128), false, "garbage signature"),
        };
    }

    /// <summary>An IPN body laid out as NowPayments sends it (keys unsorted, ids as numbers, a nested fee object).</summary>
    private static byte[] IpnBody(SimulatedPayment payment, string status, int step)
    {
        var paid = status == NowPaymentsStatuses.Waiting ? 0m : payment.PayAmount;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("payment_id", long.Parse(payment.PaymentId, CultureInfo.InvariantCulture));
            json.WriteNull("parent_payment_id");
            json.WriteNumber("invoice_id", long.Parse(payment.InvoiceId, CultureInfo.InvariantCulture));
            json.WriteString("payment_status", status);
            json.WriteString("pay_address", "TDrillStormAddress");
            json.WriteNumber("price_amount", payment.PriceAmount);
            json.WriteString("price_currency", payment.PriceCurrency);
            json.WriteNumber("pay_amount", payment.PayAmount);
            json.WriteNumber("actually_paid", paid);
            json.WriteString("pay_currency", payment.PayCurrency);
            json.WriteString("order_id", payment.OrderId);
            json.WriteString("purchase_id", "drill-" + payment.PaymentId);
            json.WriteNumber("outcome_amount", decimal.Round(paid * 0.995m, 8));
            json.WriteString("outcome_currency", payment.PayCurrency);
            json.WriteStartObject("fee");
            json.WriteString("currency", payment.PayCurrency);
            json.WriteNumber("serviceFee", decimal.Round(paid * 0.005m, 8));
            json.WriteEndObject();
            json.WriteNumber("updated_at", payment.UpdatedAt.ToUnixTimeMilliseconds() + step);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Each sender sends its queue paced evenly over the window (late items go at once), timing every answer.</summary>
    private static async Task<List<Sent>> StormAsync(Uri webhook, List<Ipn>[] queues, DrillLog log)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders * 2 }) { Timeout = TimeSpan.FromSeconds(30) };
        var results = new ConcurrentBag<Sent>();
        var clock = Stopwatch.StartNew();
        log.Line($"storm: {queues.Sum(q => q.Count)} IPNs, {Senders} senders × ~{queues.Average(q => q.Count):0} each");
        await Task.WhenAll(queues.Select(queue => Task.Run(async () =>
        {
            for (var k = 0; k < queue.Count; k++)
            {
                var due = Window * k / queue.Count;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
                var ipn = queue[k];
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(ipn.Body) };
                request.Content.Headers.ContentType = new("application/json");
                if (ipn.Signature is not null)
                {
                    request.Headers.Add(IpnSignature.HeaderName, ipn.Signature);
                }
                var started = clock.Elapsed;
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    results.Add(new Sent(ipn, (int)response.StatusCode, clock.Elapsed - started, null));
                }
                catch (HttpRequestException e)
                {
                    results.Add(new Sent(ipn, 0, clock.Elapsed - started, e.Message));
                }
            }
        })));
        log.Line($"storm over: {results.Count} IPNs answered in {clock.Elapsed.TotalSeconds:0.0}s");
        return [.. results];
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
