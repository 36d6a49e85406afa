using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using Temporalio.Client;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// After a full order (import → create → invoice payments listed → pay by signed IPN → delivered → credentials read →
/// completed) with the worker in process and logging at Verbose, no secret appears in any log event the app wrote nor
/// in any workflow history of the run. Both searches are sanity-checked against values that must appear (the order id, the payment id), so an
/// empty capture or an undecoded payload cannot make the test pass.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class SecretsTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private FulfillmentService _service = null!;

    public async Task InitializeAsync() =>
        // The service's log capture joins the app's own Serilog pipeline (ReadFrom.Services), so it sees exactly what the
        // console gets, from the API and from the in-process worker alike.
        _service = await ApiService.StartAsync("secrets", worker: true, options =>
        {
            // Everything the app would ever write, not just warnings.
            options.Settings["Serilog:MinimumLevel:Default"] = "Verbose";
            // Polls within a second, so the run also logs in to NowPayments and lists its invoice's payments before the IPN.
            options.Settings["Fulfillment:InvoiceLookupInitialInterval"] = "00:00:01";
            options.Settings["Fulfillment:InvoiceLookupMaxInterval"] = "00:00:02";
        });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task FullOrderFlow_SecretsAppearInNoLogAndNoWorkflowHistory()
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        var started = DateTimeOffset.UtcNow;
        var password = $"AcctPw-{run}-x9";
        var investorPassword = $"InvPw-{run}-q4";
        var identities = new TestIdentities(_service.SigningKey);
        var userToken = identities.UserA;
        var adminToken = identities.Admin;
        using var admin = Client(adminToken);
        using var user = Client(userToken);
        using var provider = Client(null);

        var accounts = new[] { new { login = $"login-{run}", password, investorPassword, server = "FFX-Live-01", platform = "mt5", accountSize = 10000 } };
        using (var import = await admin.PostAsJsonAsync("/admin/inventory", new { accounts }))
        {
            Assert.True(import.StatusCode == HttpStatusCode.Created, await import.Content.ReadAsStringAsync());
        }
        var order = await OrderSteps.CreateAsync(user, OrderSteps.Body("two_step", 10000, "mt5", "btc"));
        var orderId = order.GetProperty("orderId").GetString()!;
        await Eventually.WaitAsync(
            () => Task.FromResult(_service.Simulator.GetApiCalls().Count(c => c.Path == "/payment/" && c.StatusCode == 200 && c.At >= started)),
            listed => listed > 0, TimeSpan.FromSeconds(30), "the invoice's payments listed");
        var paymentId = (8_000_000_000L + Random.Shared.Next(1_000_000)).ToString(CultureInfo.InvariantCulture);
        using (var ipn = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "finished", order.GetProperty("priceAmount").GetDecimal()), _service.IpnSecret)))
        {
            Assert.True(ipn.StatusCode == HttpStatusCode.OK, await ipn.Content.ReadAsStringAsync());
        }
        await OrderSteps.WaitForAsync(user, orderId, "deliveryStatus", "delivered");
        using var credentials = await user.GetAsync($"/orders/{orderId}/account");
        var revealed = await Json.ReadAsync(credentials);
        await OrderSteps.WaitForAsync(user, orderId, "orderStatus", "completed");
        var handle = _service.Temporal.GetWorkflowHandle($"order-{orderId}");
        await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var histories = await FetchHistoriesAsync(handle);

        // The secrets really were in play: the account was delivered with exactly these passwords.
        Assert.Equal(password, revealed.GetProperty("password").GetString());
        Assert.Equal(investorPassword, revealed.GetProperty("investorPassword").GetString());

        // Sanity: the searches look at real material. The order id is in the logs and inside a decoded payload (the
        // workflow input), the IPN's payment id inside the decoded signal payload, so an empty capture or an
        // undecoded history would fail here rather than pass below.
        var logText = _service.Logs.Text();
        Assert.Contains(orderId, logText, StringComparison.Ordinal);
        Assert.Contains(_service.Logs.Events, e => SourceContext(e).StartsWith("FlashFundX.Api", StringComparison.Ordinal));
        Assert.Contains(_service.Logs.Events, e => IsWorkerSide(SourceContext(e)));
        Assert.All(histories, h => Assert.Contains(orderId, h.DecodedPayloads, StringComparison.Ordinal));
        Assert.Contains(histories, h => h.DecodedPayloads.Contains(paymentId, StringComparison.Ordinal));

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["account password"] = password,
            ["investor password"] = investorPassword,
            ["NowPayments API key"] = _service.NowPaymentsApiKey,
            ["NowPayments IPN secret"] = _service.IpnSecret,
            ["NowPayments account password"] = _service.AccountPassword,
            ["JWT signing key"] = _service.SigningKey,
            ["credentials encryption key"] = _service.CredentialsEncryptionKey,
            ["user's bearer token"] = userToken,
            ["admin's bearer token"] = adminToken,
        };
        var leaks = new List<string>();
        foreach (var (name, secret) in secrets)
        {
            foreach (var form in Forms(secret))
            {
                leaks.AddRange(_service.Logs.Lines().Where(l => l.Contains(form, StringComparison.Ordinal)).Select(l => $"{name} in log: {Shorten(l)}"));
                leaks.AddRange(histories.Where(h => h.Text.Contains(form, StringComparison.Ordinal)).Select(h => $"{name} in history of {h.Name}"));
            }
        }
        Assert.True(leaks.Count == 0, string.Join('\n', leaks.Distinct()));
    }

    /// <summary>Every run on this app's task queue (continue-as-new included), plus the order's latest run.</summary>
    private async Task<IReadOnlyList<SearchableHistory>> FetchHistoriesAsync(WorkflowHandle orderHandle)
    {
        var histories = new List<SearchableHistory>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var execution in _service.Temporal.ListWorkflowsAsync($"TaskQueue = '{_service.TaskQueue}'"))
        {
            if (seen.Add(execution.RunId))
            {
                var history = await _service.Temporal.GetWorkflowHandle(execution.Id, execution.RunId).FetchHistoryAsync();
                histories.Add(SearchableHistory.From($"{execution.Id}/{execution.RunId}", history));
            }
        }
        var latest = await orderHandle.FetchHistoryAsync();
        histories.Add(SearchableHistory.From(orderHandle.Id, latest));
        return histories;
    }

    private HttpClient Client(string? token) => _service.CreateClient(token);

    /// <summary>The secret as written, and as a JSON string would carry it (e.g. '+' → \u002B in base64 keys).</summary>
    private static IEnumerable<string> Forms(string secret)
    {
        yield return secret;
        var escaped = JsonSerializer.Serialize(secret)[1..^1];
        if (escaped != secret)
        {
            yield return escaped;
        }
        var relaxed = JsonSerializer.Serialize(secret, RelaxedJson)[1..^1];
        if (relaxed != secret && relaxed != escaped)
        {
            yield return relaxed;
        }
    }

    private static string SourceContext(Serilog.Events.LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var value) && value is Serilog.Events.ScalarValue { Value: string name } ? name : "";

    private static bool IsWorkerSide(string sourceContext) =>
        sourceContext.StartsWith("FlashFundX.Activities", StringComparison.Ordinal)
        || sourceContext.StartsWith("FlashFundX.Workflows", StringComparison.Ordinal)
        || sourceContext.StartsWith("Temporalio.", StringComparison.Ordinal);

    private static string Shorten(string line) => line.Length <= 300 ? line : line[..300] + "…";

    /// <summary>
    /// A history as JSON, plus every base64 string in it decoded: payloads (inputs, results, signal arguments, memo)
    /// are bytes, which proto JSON writes as base64 — searching only the JSON would never find a leaked password there.
    /// </summary>
    private sealed record SearchableHistory(string Name, string Json, string DecodedPayloads)
    {
        public string Text { get; } = Json + "\n" + DecodedPayloads;

        public static SearchableHistory From(string name, Temporalio.Common.WorkflowHistory history)
        {
            var json = history.ToJson();
            var decoded = new StringBuilder();
            foreach (Match match in Base64String().Matches(json))
            {
                try
                {
                    decoded.Append(Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[1].Value))).Append('\n');
                }
                catch (FormatException)
                {
                    // Not base64 after all (an ordinary string of base64 characters): the JSON search covers it.
                }
            }
            return new SearchableHistory(name, json, decoded.ToString());
        }
    }

    [GeneratedRegex("\"([A-Za-z0-9+/]{4,}={0,2})\"")]
    private static partial Regex Base64String();
}
