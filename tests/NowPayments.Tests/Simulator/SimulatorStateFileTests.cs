using FlashFundX.NowPayments.Client;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.NowPayments.Tests.Support;

namespace FlashFundX.NowPayments.Tests.Simulator;

/// <summary>
/// A simulator with a state file (as the development run starts it): what one process created, a second one started
/// on the same file answers for. The first is never stopped before the second starts, so nothing relies on a clean
/// shutdown, as after SIGKILL.
/// </summary>
public sealed class SimulatorStateFileTests : IAsyncLifetime
{
    private const string ApiKey = "sim-state-api-key";
    private const string IpnSecret = "sim-state-ipn-secret";
    private const string Email = "merchant@state.test";
    private const string Password = "sim-state-password";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ffx-sim-state-{Guid.NewGuid():N}");
    private readonly List<IAsyncDisposable> _started = [];
    private IpnReceiver _receiver = null!;

    private string StateFile => Path.Combine(_folder, "nowpayments-simulator.json");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _receiver = await IpnReceiver.StartAsync();
        _started.Add(_receiver);
    }

    public async Task DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task StartAsync_SameStateFile_InvoicesAndPaymentsOfTheFirstAreLookedUpPaidAndSentByTheSecond()
    {
        var first = await StartSimulatorAsync();
        var firstClient = Harness(first).Client;
        var unpaid = await firstClient.CreateInvoiceAsync(new InvoiceRequest(120m, "usdt_trc20", "FFX200000001", "test") { IpnCallbackUrl = _receiver.CallbackUrl });
        var partlyPaid = await firstClient.CreateInvoiceAsync(new InvoiceRequest(80m, "usdt_trc20", "FFX200000002", "test") { IpnCallbackUrl = _receiver.CallbackUrl });
        var partial = await first.PayInvoiceAsync(partlyPaid.Id, NowPaymentsStatuses.PartiallyPaid);

        var second = await StartSimulatorAsync();
        var client = Harness(second).Client;
        var looked = await client.GetPaymentAsync(partial.PaymentId);
        var listed = await client.ListInvoicePaymentsAsync(partlyPaid.Id);
        var received = _receiver.Received.Count;
        var paid = await second.PayInvoiceAsync(second.GetInvoiceByOrderId("FFX200000001")!.Id);
        var next = await client.CreateInvoiceAsync(new InvoiceRequest(10m, "usdt_trc20", "FFX200000003", "test") { IpnCallbackUrl = _receiver.CallbackUrl });

        Assert.Equal((NowPaymentsStatuses.PartiallyPaid, "FFX200000002", partial.ActuallyPaid), (looked.PaymentStatus, looked.OrderId, looked.ActuallyPaid));
        Assert.Equal([partial.PaymentId], listed.Select(p => p.PaymentId));
        Assert.Equal((unpaid.Id, NowPaymentsStatuses.Finished), (paid.InvoiceId, paid.Status));
        var sent = _receiver.Received.Skip(received).Select(Parse).ToArray();
        Assert.NotEmpty(sent);
        Assert.All(sent, ipn => Assert.Equal(("FFX200000001", unpaid.Id), (ipn.OrderId, ipn.InvoiceId)));
        Assert.Equal(NowPaymentsStatuses.Finished, sent[^1].PaymentStatus);
        Assert.All(_receiver.Received, ipn => Assert.True(IpnSignature.Verify(ipn.Body, ipn.Signature, IpnSecret)));
        Assert.DoesNotContain(next.Id, new[] { unpaid.Id, partlyPaid.Id });
        Assert.DoesNotContain(paid.PaymentId, new[] { partial.PaymentId });
    }

    [Theory]
    [InlineData("{ \"invoices\": [ {")]
    [InlineData("{ \"lastInvoiceId\": 4000000001, \"lastPaymentId\": 5000000001, \"invoices\": [] }")]
    public async Task StartAsync_UnreadableStateFile_FailsNamingTheFile(string content)
    {
        await File.WriteAllTextAsync(StateFile, content);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(StartSimulatorAsync);

        Assert.Contains(StateFile, error.Message, StringComparison.Ordinal);
    }

    private async Task<NowPaymentsSimulator> StartSimulatorAsync()
    {
        var simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
        {
            ApiKey = ApiKey,
            IpnSecret = IpnSecret,
            AccountEmail = Email,
            AccountPassword = Password,
            StateFile = StateFile,
        });
        _started.Add(simulator);
        return simulator;
    }

    private ClientHarness Harness(NowPaymentsSimulator simulator)
    {
        var harness = new ClientHarness(simulator.BaseUrl, ApiKey, IpnSecret, settings: new Dictionary<string, string?>
        {
            ["NowPayments:Email"] = Email,
            ["NowPayments:Password"] = Password,
        });
        _started.Add(harness);
        return harness;
    }

    private static IpnPayload Parse(ReceivedIpn ipn) =>
        IpnPayload.TryParse(ipn.Body, out var payload, out var error) ? payload : throw new InvalidOperationException(error);
}
