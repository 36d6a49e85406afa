using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Dapper;
using FlashFundX.Api.OpenApi;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.NowPayments.Ipn;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>
/// Fuzzes every operation of the OpenAPI document the running API serves (so a new endpoint is fuzzed without a change
/// here): at least <see cref="RequestsPerOperation"/> generated malformed requests each, with valid, expired,
/// wrongly signed, unsigned, garbage and missing tokens (the IPN: unsigned, badly signed and correctly signed).
/// No answer may be a 5xx, and a rejected (4xx) request must leave the database as it was: every table's row count
/// and content hash are compared after it. The one documented exception: a rejected IPN may leave one
/// <c>webhook_events</c> row recording its rejection (docs/security.md, <c>IpnProcessor</c>: every IPN received is
/// recorded, whatever its outcome), and changes nothing else. A 2xx may write; the snapshot is then taken again.
/// Generation is CsCheck's, seeded: a failure prints its seed; replay it with <c>FLASHFUNDX_FUZZ_SEED=OperationId=seed</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiFuzzTests(ITestOutputHelper output) : ApiTestBase("fuzz", configure: options =>
{
    options.Settings["ApiDocs:Enabled"] = "true";
    // Raised so the generated requests reach the input handling instead of the limits (tests/Api.Tests/Limits covers those).
    options.Settings["Limits:OrderCreationsPerUser"] = "100000";
    options.Settings["Limits:OpenUnpaidOrdersPerUser"] = "100000";
    options.Settings["Limits:StreamsPerUser"] = "1000";
})
{
    public const int RequestsPerOperation = 200;

    private const string WebhookOperationId = "NowPaymentsIpn";

    private static readonly string[] RejectedIpnOutcomes = ["malformed", "invalid_signature", "too_large"];

    private HttpClient _client = null!;
    private string _snapshotSql = "";
    private DatabaseSnapshot _snapshot = null!;
    private long _webhookEventsMaxId;

    [Fact]
    public async Task EveryOperation_MalformedRequests_NeverAnswer5xx_AndRejectedOnesWriteNothing()
    {
        var started = Stopwatch.StartNew();
        _client = Service.CreateClient();
        var document = JsonNode.Parse(await _client.GetStringAsync(new Uri(OpenApiExtensions.DocumentPath, UriKind.Relative)))!;
        var operations = OpenApiDocumentReader.Operations(document);
        var setup = await SetUpAsync();
        Assert.Contains(operations, o => o.OperationId == WebhookOperationId);
        _snapshotSql = await DatabaseSnapshot.QueryAsync(Database.DataSource);
        await TakeSnapshotAsync();

        var failures = new List<string>();
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            var answers = new SortedDictionary<int, int>();
            var count = 0;
            var elapsed = Stopwatch.StartNew();
            try
            {
                await FuzzRequestGen.For(operation, document, setup).SampleAsync(
                    async request =>
                    {
                        count++;
                        await SendAndCheckAsync(request, answers);
                    },
                    seed: SeedFor(operation),
                    iter: RequestsPerOperation,
                    threads: 1,
                    print: request => request.ToString());
            }
#pragma warning disable CA1031 // every operation is fuzzed; all failures are reported together
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{operation}: {e.Message}\n  failure: {e.InnerException?.GetType().Name}: {e.InnerException?.Message}\n  replay: FLASHFUNDX_FUZZ_SEED={operation.OperationId}=<the seed above>");
            }
            sent[operation.OperationId] = count;
            output.WriteLine($"{operation}: {count} requests sent in {elapsed.Elapsed.TotalSeconds:F1} s; answers {string.Join(", ", answers.Select(a => $"{a.Key}×{a.Value}"))}");
        }
        output.WriteLine($"{sent.Values.Sum()} requests to {operations.Count} operations in {started.Elapsed.TotalSeconds:F1} s");

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.All(operations, o => Assert.True(sent[o.OperationId] >= RequestsPerOperation, $"{o}: only {sent[o.OperationId]} requests sent"));
    }

    private async Task SendAndCheckAsync(FuzzRequest request, SortedDictionary<int, int> answers)
    {
        using var message = request.ToMessage();
        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        answers[status] = answers.GetValueOrDefault(status) + 1;
        // A stream (the order's live status) never ends by itself: its status line is the answer.
        var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? "(event stream)"
            : await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            throw new XunitException($"answered {status}: {Cut(text)}\n  app errors:\n{Service.Logs.Tail(5)}");
        }
        if (status < 400)
        {
            await TakeSnapshotAsync();
            return;
        }

        var before = _snapshot;
        var beforeMaxId = _webhookEventsMaxId;
        await TakeSnapshotAsync();
        var changed = _snapshot.ChangedSince(before);
        var allowed = request.Operation.OperationId == WebhookOperationId && changed.SequenceEqual(["webhook_events"])
            ? await RecordedRejectionOnlyAsync(before.Tables["webhook_events"].Hash, beforeMaxId, status)
            : (bool?)null;
        if (changed.Count > 0 && allowed != true)
        {
            throw new XunitException(
                $"answered {status} but changed {_snapshot.Describe(changed, before)}{(allowed == false ? " (not just one rejection record)" : "")}: {Cut(text)}");
        }
    }

    /// <summary>True when the rows up to <paramref name="maxId"/> are unchanged and at most one row was added, recording this very rejection.</summary>
    private async Task<bool> RecordedRejectionOnlyAsync(string hashBefore, long maxId, int status)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var (oldHash, added, rejections) = await connection.QuerySingleAsync<(string, long, long)>("""
            SELECT coalesce((SELECT md5(string_agg(t::text, E'\n' ORDER BY t::text)) FROM webhook_events t WHERE id <= @maxId), ''),
                   (SELECT count(*) FROM webhook_events WHERE id > @maxId),
                   (SELECT count(*) FROM webhook_events WHERE id > @maxId AND http_status = @status AND outcome = ANY(@outcomes))
            """, new { maxId, status, outcomes = RejectedIpnOutcomes });
        return oldHash == hashBefore && added <= 1 && rejections == added;
    }

    private async Task TakeSnapshotAsync()
    {
        _snapshot = await DatabaseSnapshot.TakeAsync(Database.DataSource, _snapshotSql);
        _webhookEventsMaxId = await OrderSteps.ScalarAsync<long>(Database, "SELECT coalesce(max(id), 0) FROM webhook_events");
    }

    /// <summary>The fuzz identities' user rows exist before the first snapshot (a first authenticated request creates them), and each has an order.</summary>
    private async Task<FuzzSetup> SetUpAsync()
    {
        var callers = new FuzzCallers(Service.SigningKey);
        using var user = Service.CreateClient(callers.UserToken);
        using var admin = Service.CreateClient(callers.AdminToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);
        var ownOrder = await Service.CreateOrderAsync(user);
        var othersOrder = await Service.CreateOrderAsync(Service.CreateClient(Service.NewUser()));
        // No worker runs here, so a request that needs the run to answer (the owner's payment check) would wait for
        // ever: the caller's own order has ended instead, its run terminated. The other user's run stays open (signals
        // need no worker).
        await Service.Workflow(ownOrder.OrderId).TerminateAsync("fuzz: the owner's order is closed");
        await OrderSteps.ScalarAsync<int>(Database,
            "UPDATE orders SET order_status = 'expired', stage = 'expired' WHERE order_id = @orderId RETURNING 1", new { orderId = ownOrder.OrderId });
        // Stock accounts for the admin inventory operations to find (and perhaps change or delete).
        await OrderSteps.ImportAsync(admin, 2, accountSize: 5000, platform: "mt4", prefix: "fuzz");
        string[] accountIds;
        await using (var connection = await Database.DataSource.OpenConnectionAsync())
        {
            accountIds = (await connection.QueryAsync<long>("SELECT id FROM account_container ORDER BY id"))
                .Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        var ipn = JsonNode.Parse(IpnBuilder.Body("FFX999999998", "5000000001", "finished", 100m))!;
        return new FuzzSetup(
            callers,
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["orderId"] = [ownOrder.OrderId, othersOrder.OrderId, "FFX999999999"],
                ["accountSize"] = ["10000", "5000"],
                ["accountId"] = [.. accountIds, "999999999"],
                ["userId"] = [callers.UserId.ToString(), callers.AdminId.ToString(), Guid.NewGuid().ToString()],
            },
            new Dictionary<string, JsonNode> { [WebhookOperationId] = ipn },
            new Dictionary<string, BodySigner> { [WebhookOperationId] = new(IpnSignature.HeaderName, Service.IpnSecret, SignIpn) });
    }

    /// <summary>
    /// Signs as NowPayments (and the simulator) do: the HMAC of the body's canonical form. A body that has none (not JSON)
    /// gets the HMAC of its bytes, the closest a sender could come.
    /// </summary>
    private static string SignIpn(byte[] body, string secret)
    {
        try
        {
            return IpnSignature.Compute(body, secret);
        }
        catch (ArgumentException)
        {
            return Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA512.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));
        }
    }

    /// <summary><c>FLASHFUNDX_FUZZ_SEED=OperationId=seed</c> replays a failure of that operation; otherwise a random seed.</summary>
    private static string? SeedFor(OpenApiOperation operation)
    {
        var replay = Environment.GetEnvironmentVariable("FLASHFUNDX_FUZZ_SEED");
        return replay is not null && replay.StartsWith(operation.OperationId + "=", StringComparison.Ordinal)
            ? replay[(operation.OperationId.Length + 1)..]
            : null;
    }

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
