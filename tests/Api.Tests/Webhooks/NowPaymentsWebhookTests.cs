using System.Net;
using System.Text;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.Api.Webhooks;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client;
using Xunit;

namespace FlashFundX.Api.Tests.Webhooks;

/// <summary>
/// <c>POST /webhooks/nowpayments</c> with the worker running: each case checks the HTTP code, the webhook_events rows,
/// and what reached the order's workflow (its history and the order's visible state). The sweep cases write rows as a
/// process that died after its commit leaves them, and check that the dispatcher's sweep delivers them.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NowPaymentsWebhookTests : IAsyncLifetime
{
    private const string Signal = "PaymentStatusesChanged";
    private const decimal Price = 89.00m; // two_step 10k

    // A row as an API process that died right after its commit leaves it: stored, accepted, never dispatched.
    private const string InsertStoredSql = """
        INSERT INTO webhook_events (order_id, payment_id, payment_status, signature_valid, outcome, dedupe_key,
                                    body_sha256, body, http_status, received_at)
        VALUES (@OrderId, @PaymentId, @Status, true, 'accepted', @OrderId || '|' || @Status, 'test', @Body, 200,
                now() - interval '1 minute')
        RETURNING id
        """;


    private FulfillmentService _service = null!;
    private TestIdentities _identities = null!;
    private HttpClient _provider = null!;
    private HttpClient _user = null!;
    private static int _paymentIds = 5_000_000;

    private TestDatabase Database => _service.Database;

    private ITemporalClient Temporal => _service.Temporal;

    public async Task InitializeAsync()
    {
        // The periodic sweep stays out of the way: the sweep tests run it themselves, once their rows are in place.
        _service = await ApiService.StartAsync("webhook", worker: true, options => options.Settings["Webhooks:SweepInterval"] = "00:10:00");
        _identities = new TestIdentities(_service.SigningKey);
        _provider = _service.CreateClient();
        _user = _service.CreateClient(_identities.UserA);
        using var admin = _service.CreateClient(_identities.Admin);
        await OrderSteps.ImportAsync(admin, 20, prefix: "wh");
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task ForgedOrMissingSignature_Returns401_RecordsInvalid_SignalsNothing()
    {
        var orderId = await NewOrderAsync();
        var body = IpnBuilder.Body(orderId, NextPaymentId(), "finished", Price);

        using var forged = await _provider.SendAsync(IpnBuilder.Request(body, IpnBuilder.Sign(body, "not-the-secret")));
        using var missing = await _provider.SendAsync(IpnBuilder.Request(body, null));
        using var garbage = await _provider.SendAsync(IpnBuilder.Request(body, "zz"));

        await ProblemAssert.IsProblemAsync(forged, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(garbage, HttpStatusCode.Unauthorized);
        Assert.Equal(3, await EventsAsync(orderId, "invalid_signature", signatureValid: false));
        Assert.Equal(0, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
        var order = await OrderSteps.GetAsync(_user, orderId);
        Assert.True(order.GetProperty("paymentStatus").GetString() is "pending" or "waiting", order.GetRawText());
    }

    [Fact]
    public async Task ForgedLargeBody_StoredCutToAPrefix_WithTheWholeBodysHash()
    {
        var orderId = await NewOrderAsync();
        var padding = new string('x', 60_000);
        var body = Encoding.UTF8.GetBytes(
            $$"""{"order_description":"{{padding}}","order_id":"{{orderId}}","payment_id":{{NextPaymentId()}},"payment_status":"finished","price_amount":89,"price_currency":"usd"}""");

        using var forged = await _provider.SendAsync(IpnBuilder.Request(body, IpnBuilder.Sign(body, "not-the-secret")));

        await ProblemAssert.IsProblemAsync(forged, HttpStatusCode.Unauthorized);
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var (stored, hash) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT body, body_sha256 FROM webhook_events WHERE order_id = @orderId AND outcome = 'invalid_signature'", new { orderId });
        Assert.Equal(IpnProcessor.MaxUnsignedBodyChars, stored.Length);
        Assert.StartsWith(stored, Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(IpnPayload.ComputeBodyHash(body), hash);
    }

    [Fact]
    public async Task TamperedBody_Returns401_SignalsNothing()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        var genuine = IpnBuilder.Body(orderId, paymentId, "finished", Price);
        var tampered = IpnBuilder.Body(orderId, paymentId, "finished", 1.00m);

        using var response = await _provider.SendAsync(IpnBuilder.Request(tampered, IpnBuilder.Sign(genuine, _service.IpnSecret)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(1, await EventsAsync(orderId, "invalid_signature", signatureValid: false));
        Assert.Equal(0, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
    }

    [Fact]
    public async Task SameIpnTenTimes_AcceptedOnce_DeliveredOnce_ThenLateRefundRecordedNotApplied()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        var body = IpnBuilder.Body(orderId, paymentId, "finished", Price);

        // NowPayments retries in parallel when it sees no answer: all ten at once.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(body, _service.IpnSecret));
            return response.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, await EventsAsync(orderId, "accepted"));
        Assert.Equal(9, await EventsAsync(orderId, "duplicate"));
        await WaitDispatchedAsync(orderId);
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
        await OrderSteps.WaitForAsync(_user, orderId, "orderStatus", "completed");
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));

        // The run closes after the order e-mail, shortly after the order shows completed.
        await Temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();

        // The run is over: a later report is recorded as late, never restarts the order, and cannot undo the payment.
        var late = IpnBuilder.Body(orderId, paymentId, "refunded", Price);
        using var lateResponse = await _provider.SendAsync(IpnBuilder.SignedRequest(late, _service.IpnSecret));
        Assert.Equal(HttpStatusCode.OK, lateResponse.StatusCode);
        Assert.Contains("accepted", await lateResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await WaitForEventsAsync(orderId, "late", 1);
        var order = await OrderSteps.GetAsync(_user, orderId);
        Assert.Equal(("completed", "finished", "delivered"), (order.GetProperty("orderStatus").GetString(),
            order.GetProperty("paymentStatus").GetString(), order.GetProperty("deliveryStatus").GetString()));
        Assert.Equal(["finished", "refunded"], await PaymentReportsAsync(orderId));
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
    }

    [Fact]
    public async Task SameIpnOtherWhitespaceAndKeyOrder_SignedAlike_IsDuplicate_SignalledOnce()
    {
        var orderId = await NewOrderAsync();
        var compact = IpnBuilder.Body(orderId, NextPaymentId(), "waiting", Price);
        var fields = System.Text.Json.JsonDocument.Parse(compact).RootElement.EnumerateObject().Reverse()
            .Select(p => $"\n  \"{p.Name}\" :  {p.Value.GetRawText()}");
        var reformatted = Encoding.UTF8.GetBytes("{" + string.Join(" ,", fields) + "\n}\n");
        var signature = IpnBuilder.Sign(compact, _service.IpnSecret); // NowPayments signs the sorted, compact form

        using var first = await _provider.SendAsync(IpnBuilder.Request(compact, signature));
        using var again = await _provider.SendAsync(IpnBuilder.Request(reformatted, signature));

        Assert.Contains("accepted", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await EventsAsync(orderId, "accepted"));
        Assert.Equal(1, await EventsAsync(orderId, "duplicate"));
        await WaitDispatchedAsync(orderId);
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
    }

    [Fact]
    public async Task OlderReportArrivingLater_RunClosed_NeverOverwritesActuallyPaid()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        await SendAsync(IpnBuilder.Body(orderId, paymentId, "finished", Price, actuallyPaid: 0.0123m, updatedAt: 1_700_000_200_000));
        await Temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();

        await SendAsync(IpnBuilder.Body(orderId, paymentId, "partially_paid", Price, actuallyPaid: 0.0050m, updatedAt: 1_700_000_100_000));
        await WaitForEventsAsync(orderId, "late", 1);

        Assert.Equal(0.0123m, await ActuallyPaidAsync(orderId));
        Assert.Equal(["finished", "partially_paid"], await PaymentReportsAsync(orderId));
    }

    [Fact]
    public async Task ConfirmedDelivers_FinishedAfterRunClosed_OrderShowsFinished()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        using (var confirmed = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "confirmed", Price), _service.IpnSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        await Temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();

        // NowPayments reports sending and finished after confirmed; the run delivered on confirmed and is gone.
        foreach (var status in new[] { "sending", "finished" })
        {
            using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, status, Price), _service.IpnSecret));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("accepted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await WaitForEventsAsync(orderId, "late", 2);
        var order = await OrderSteps.GetAsync(_user, orderId);
        Assert.Equal(("completed", "finished", "delivered"), (order.GetProperty("orderStatus").GetString(),
            order.GetProperty("paymentStatus").GetString(), order.GetProperty("deliveryStatus").GetString()));
        Assert.Equal(["confirmed", "sending", "finished"], await PaymentReportsAsync(orderId));
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
        Assert.Equal("finished", await OrderSteps.ScalarAsync<string>(Database,
            "SELECT payment_status FROM order_events WHERE order_id = @orderId ORDER BY id DESC LIMIT 1", new { orderId }));
    }

    [Fact]
    public async Task CancelledUnpaidOrder_PaidAfterwards_FlaggedRefundRequired_NothingDelivered()
    {
        var orderId = await NewCancelledOrderAsync();

        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, NextPaymentId(), "finished", Price), _service.IpnSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForEventsAsync(orderId, "late", 1);
        var order = await OrderSteps.GetAsync(_user, orderId);
        Assert.Equal(("cancelled", "finished", "refund_required"), (order.GetProperty("orderStatus").GetString(),
            order.GetProperty("paymentStatus").GetString(), order.GetProperty("deliveryStatus").GetString()));
        Assert.Equal(["finished"], await PaymentReportsAsync(orderId));
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
        Assert.Contains("refund_required", await OrderSteps.ScalarAsync<string>(Database,
            "SELECT detail FROM webhook_events WHERE order_id = @orderId AND outcome = 'late'", new { orderId }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedThenWaiting_PaidOrderNeverGoesBack()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();

        using var finished = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "finished", Price), _service.IpnSecret));
        using var waiting = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "waiting", Price), _service.IpnSecret));

        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.True(waiting.StatusCode == HttpStatusCode.OK, await waiting.Content.ReadAsStringAsync());
        var order = await OrderSteps.WaitForAsync(_user, orderId, "orderStatus", "completed");
        Assert.Equal("finished", order.GetProperty("paymentStatus").GetString());
        Assert.Equal("delivered", order.GetProperty("deliveryStatus").GetString());
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task AmountMismatch_Accepted_ShownOnOrder_NeverDelivered()
    {
        var orderId = await NewOrderAsync();

        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, NextPaymentId(), "finished", 1.00m), _service.IpnSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await EventsAsync(orderId, "accepted"));
        var order = await OrderSteps.WaitForAsync(_user, orderId, "paymentStatus", "amount_mismatch");
        Assert.NotEqual("delivered", order.GetProperty("deliveryStatus").GetString());
        // The run handled the report and went idle (its last task completed, nothing scheduled after it): a delivery
        // would have been a local activity of that task, so it is in the history by now or never comes.
        var history = await Eventually.WaitAsync(
            () => Temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).FetchHistoryAsync(), IdleAfterLastSignal,
            what: $"the run of {orderId} idle after the report", describe: h => string.Join(", ", h.Events.TakeLast(4).Select(e => e.EventType)));
        Assert.Equal(0, history.CountActivities("DeliverOrder"));
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task UnknownOrder_Returns200Orphaned()
    {
        const string orderId = "FFX999999999";

        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, NextPaymentId(), "finished", Price), _service.IpnSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("orphaned", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await EventsAsync(orderId, "orphaned"));
    }

    [Theory]
    [InlineData("{\"order_id\":\"FFX000000001\",\"payment_status\":")]
    [InlineData("not json at all")]
    [InlineData("{\"payment_id\":1,\"payment_status\":\"finished\"}")]
    [InlineData("{\"order_id\":\"FFX000000001\",\"payment_id\":1}")]
    [InlineData("[1,2,3]")]
    public async Task Malformed_Returns400_RecordedAsMalformed(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var signature = json.StartsWith('{') && json.EndsWith('}') ? IpnBuilder.Sign(body, _service.IpnSecret) : "00";

        using var response = await _provider.SendAsync(IpnBuilder.Request(body, signature));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database,
            "SELECT count(*) FROM webhook_events WHERE outcome = 'malformed' AND body_sha256 = @hash",
            new { hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)) }));
    }

    [Fact]
    public async Task Oversized_Returns413_RecordedAsTooLarge()
    {
        var orderId = await NewOrderAsync();
        var padding = new string('x', 70 * 1024);
        var body = Encoding.UTF8.GetBytes($"{{\"order_id\":\"{orderId}\",\"padding\":\"{padding}\",\"payment_id\":1,\"payment_status\":\"finished\"}}");

        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(body, _service.IpnSecret));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(1L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM webhook_events WHERE outcome = 'too_large' AND http_status = 413"));
        Assert.Equal(0, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
    }

    [Fact]
    public async Task ValidIpn_AcknowledgedOnceStored_SignalledAfterwards()
    {
        var orderId = await NewOrderAsync();
        var body = IpnBuilder.Body(orderId, NextPaymentId(), "waiting", Price);

        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(body, _service.IpnSecret));

        // How fast the acknowledgement comes is the e2e bench's webhook latency (bench/RESULTS.md), not a test limit.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await EventsAsync(orderId, "accepted"));
        await WaitDispatchedAsync(orderId);
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, Signal));
    }

    [Fact]
    public async Task StoredButNeverDispatched_SweepSendsItsReportsInOneSignal_OrderDelivered()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        var ids = new List<long>();
        foreach (var status in new[] { "waiting", "confirming", "finished" })
        {
            ids.Add(await StoreAsync(orderId, paymentId, status));
        }

        var swept = await _service.Services.GetRequiredService<IpnDispatcher>().SweepAsync(CancellationToken.None);

        Assert.InRange(swept, 3, int.MaxValue); // these three, and any other test's row still undispatched
        await WaitUntilAsync($"rows of {orderId} dispatched", async () => await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE id = ANY(@ids) AND dispatched_at IS NOT NULL", new { ids = ids.ToArray() }) == 3);
        var order = await OrderSteps.WaitForAsync(_user, orderId, "orderStatus", "completed");
        Assert.Equal("finished", order.GetProperty("paymentStatus").GetString());
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, "PaymentStatusesChanged"));
        await Temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();
        Assert.Equal(["waiting", "confirming", "finished"], await PaymentReportsAsync(orderId));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM delivered_accounts WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task Sweep_LeavesDispatchedRowsAlone()
    {
        var orderId = await NewOrderAsync();
        var paymentId = NextPaymentId();
        using (var provider = _service.CreateClient())
        using (var response = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "waiting", Price), _service.IpnSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await WaitUntilAsync($"the IPN of {orderId} dispatched", async () => await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND dispatched_at IS NOT NULL", new { orderId }) == 1);

        await _service.Services.GetRequiredService<IpnDispatcher>().SweepAsync(CancellationToken.None);

        Assert.Equal(0, await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND dispatch_claimed_at IS NOT NULL", new { orderId }));
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(Temporal, orderId, "PaymentStatusesChanged"));
    }

    [Fact]
    public async Task StoredForAnEndedRun_SweepRecordsItLate()
    {
        var orderId = await NewCancelledOrderAsync();
        var id = await StoreAsync(orderId, NextPaymentId(), "finished");

        await _service.Services.GetRequiredService<IpnDispatcher>().SweepAsync(CancellationToken.None);

        await WaitUntilAsync($"row {id} recorded late", async () => await CountAsync(
            "SELECT count(*) FROM webhook_events WHERE id = @id AND outcome = 'late' AND dispatched_at IS NOT NULL", new { id }) == 1);
        var order = await OrderSteps.GetAsync(_user, orderId);
        Assert.Equal(("cancelled", "refund_required"), (order.GetProperty("orderStatus").GetString(), order.GetProperty("deliveryStatus").GetString()));
    }

    private async Task<long> StoreAsync(string orderId, string paymentId, string status)
    {
        var body = Encoding.UTF8.GetString(IpnBuilder.Body(orderId, paymentId, status, Price));
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(InsertStoredSql, new { OrderId = orderId, PaymentId = paymentId, Status = status, Body = body });
    }

    private async Task<int> CountAsync(string sql, object parameters)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }

    private static Task WaitUntilAsync(string what, Func<Task<bool>> done) => Eventually.WaitAsync(done, what, TimeSpan.FromSeconds(15));

    /// <summary>An unpaid order an admin cancelled, its run closed.</summary>
    private async Task<string> NewCancelledOrderAsync()
    {
        var orderId = await NewOrderAsync();
        using (var admin = _service.CreateClient(_identities.Admin))
        using (var cancel = await admin.PostAsync(new Uri($"/admin/orders/{orderId}/cancel", UriKind.Relative), Json.Raw("""{"reason":"customer asked"}""")))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        await Temporal.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).GetResultAsync();
        return orderId;
    }

    private async Task SendAsync(byte[] body)
    {
        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(body, _service.IpnSecret));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private Task<decimal?> ActuallyPaidAsync(string orderId) =>
        OrderSteps.ScalarAsync<decimal?>(Database, "SELECT actually_paid FROM orders WHERE order_id = @orderId", new { orderId });

    private async Task<string> NewOrderAsync()
    {
        var order = await OrderSteps.CreateAsync(_user);
        return order.GetProperty("orderId").GetString()!;
    }

    /// <summary>The run's last signal was handled by a completed workflow task and no task is scheduled after it.</summary>
    private static bool IdleAfterLastSignal(Temporalio.Common.WorkflowHistory history)
    {
        var events = history.Events;
        var lastSignal = events.LastOrDefault(e => e.EventType == Temporalio.Api.Enums.V1.EventType.WorkflowExecutionSignaled)?.EventId ?? 0;
        var lastCompleted = events.LastOrDefault(e => e.EventType == Temporalio.Api.Enums.V1.EventType.WorkflowTaskCompleted)?.EventId ?? 0;
        return lastSignal > 0 && lastCompleted > lastSignal
            && !events.Any(e => e.EventId > lastCompleted && e.EventType == Temporalio.Api.Enums.V1.EventType.WorkflowTaskScheduled);
    }

    private static string NextPaymentId() => Interlocked.Increment(ref _paymentIds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string[]> PaymentReportsAsync(string orderId)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT provider_status FROM payment_transactions WHERE order_id = @orderId ORDER BY id", new { orderId })];
    }

    /// <summary>Until every accepted IPN of the order has reached its workflow (the dispatcher stamps the row after the signal).</summary>
    private async Task WaitDispatchedAsync(string orderId) => await Eventually.WaitAsync(
        () => OrderSteps.ScalarAsync<long>(Database,
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND outcome = 'accepted' AND dispatched_at IS NULL", new { orderId }),
        undispatched => undispatched == 0, TimeSpan.FromSeconds(15), $"the IPNs of {orderId} dispatched (value: how many are not)");

    private async Task WaitForEventsAsync(string orderId, string outcome, int count)
    {
        await Eventually.WaitAsync(() => EventsAsync(orderId, outcome), recorded => recorded >= count, TimeSpan.FromSeconds(15),
            $"{count} {outcome} IPN(s) of {orderId} recorded");
        Assert.Equal(count, await EventsAsync(orderId, outcome));
    }

    private async Task<int> EventsAsync(string orderId, string outcome, bool? signatureValid = null)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND outcome = @outcome AND (@sv::boolean IS NULL OR signature_valid = @sv)",
            new { orderId, outcome, sv = signatureValid });
    }
}
