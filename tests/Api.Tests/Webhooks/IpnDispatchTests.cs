using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Xunit;

namespace FlashFundX.Api.Tests.Webhooks;

/// <summary>
/// How the dispatcher signals stored IPNs when Temporal is slow for one workflow: the API's client holds every signal
/// to that order's run (<see cref="SignalGate"/>), and the test checks, through webhook_events and the runs' histories,
/// that other orders' IPNs still reach their runs and that the held order's later reports follow in one signal.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IpnDispatchTests : IAsyncLifetime
{
    private const decimal Price = 89.00m; // two_step 10k
    private static int _paymentIds = 6_000_000;

    private readonly SignalGate _gate = new();
    private FulfillmentService _service = null!;
    private HttpClient _provider = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        // No sweep during the test, and a held signal must not time out before the test opens the gate.
        _service = await ApiService.StartAsync("dispatch", configure: options =>
        {
            options.Settings["Webhooks:SweepInterval"] = "00:10:00";
            options.Settings["Webhooks:SignalTimeout"] = "00:01:00";
            ApiService.InterceptTemporalClient(options, _gate);
        });
        _provider = _service.CreateClient();
        _user = _service.CreateClient(new TestIdentities(_service.SigningKey).UserA);
    }

    public async Task DisposeAsync()
    {
        _gate.Open();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task OneOrdersSignalHeld_OtherOrdersIpnsStillReachTheirRuns_HeldOrdersLaterReportsFollowInOneSignal()
    {
        var slow = (await OrderSteps.CreateAsync(_user)).GetProperty("orderId").GetString()!;
        var other = (await OrderSteps.CreateAsync(_user)).GetProperty("orderId").GetString()!;
        var slowPayment = NextPaymentId();
        _gate.WorkflowId = OrderIds.WorkflowId(slow);

        await SendAsync(slow, slowPayment, "waiting");
        await Eventually.WaitAsync(() => Task.FromResult(_gate.Held), held => held == 1, TimeSpan.FromSeconds(15), "the held signal at the gate");
        await SendAsync(slow, slowPayment, "confirming");
        await SendAsync(slow, slowPayment, "confirmed");
        await SendAsync(other, NextPaymentId(), "waiting");

        // Well inside the signal timeout: only the held order's own signal is allowed to wait.
        await Eventually.WaitAsync(() => UndispatchedAsync(other), left => left == 0, TimeSpan.FromSeconds(5),
            $"the IPN of {other} dispatched while {slow}'s signal is held");
        Assert.Equal(3, await UndispatchedAsync(slow));
        Assert.Equal(1, _gate.Held);

        _gate.Open();
        await Eventually.WaitAsync(() => UndispatchedAsync(slow), left => left == 0, TimeSpan.FromSeconds(15), $"the IPNs of {slow} dispatched");
        // The held signal with the first report, then one with the two stored while it was held.
        Assert.Equal(2, await WorkflowHistory.CountSignalsAsync(_service.Temporal, slow, "PaymentStatusesChanged"));
        Assert.Equal(2, _gate.Held);
        Assert.Equal(1, await WorkflowHistory.CountSignalsAsync(_service.Temporal, other, "PaymentStatusesChanged"));
    }

    private async Task SendAsync(string orderId, string paymentId, string status)
    {
        using var response = await _provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, status, Price), _service.IpnSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<long> UndispatchedAsync(string orderId) => OrderSteps.ScalarAsync<long>(_service.Database,
        "SELECT count(*) FROM webhook_events WHERE order_id = @orderId AND outcome = 'accepted' AND dispatched_at IS NULL", new { orderId });

    private static string NextPaymentId() => Interlocked.Increment(ref _paymentIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
