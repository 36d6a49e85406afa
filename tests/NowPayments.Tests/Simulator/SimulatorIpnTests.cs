using System.Net.Http.Json;
using System.Text;
using FlashFundX.NowPayments.Client;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.NowPayments.Tests.Support;

namespace FlashFundX.NowPayments.Tests.Simulator;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class SimulatorIpnTests : IAsyncLifetime
{
    private const string ApiKey = "sim-test-api-key";
    private const string IpnSecret = "sim-test-ipn-secret";
    private NowPaymentsSimulator _simulator = null!;
    private IpnReceiver _receiver = null!;
    private ClientHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions { ApiKey = ApiKey, IpnSecret = IpnSecret });
        _receiver = await IpnReceiver.StartAsync();
        _harness = new ClientHarness(_simulator.BaseUrl, ApiKey, IpnSecret);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _receiver.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task PayInvoiceAsync_Finished_SendsSignedIpnForEveryStepInOrder()
    {
        var invoice = await CreateInvoiceAsync("FFX100000001", 150.25m);

        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);

        Assert.Equal(["waiting", "confirming", "confirmed", "sending", "finished"], Statuses());
        Assert.All(_receiver.Received, ipn =>
        {
            Assert.True(IpnSignature.Verify(ipn.Body, ipn.Signature, IpnSecret));
            Assert.False(IpnSignature.Verify(ipn.Body, ipn.Signature, "other-secret"));
            Assert.Equal("application/json", ipn.ContentType);
        });
        var last = Parse(_receiver.Received[^1]);
        Assert.Equal(payment.PaymentId, last.PaymentId);
        Assert.Equal("FFX100000001", last.OrderId);
        Assert.Equal(150.25m, last.PriceAmount);
        Assert.Equal("usd", last.PriceCurrency);
        Assert.Equal(invoice.Id, last.InvoiceId);
        Assert.All(payment.Deliveries, d => Assert.True(d.Succeeded));
    }

    [Fact]
    public async Task IpnBody_HasNestedFeeAndUnsortedKeys_SoReceiversMustCanonicalise()
    {
        var invoice = await CreateInvoiceAsync("FFX100000002", 10m);

        await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Waiting);

        var text = Encoding.UTF8.GetString(_receiver.Received.Single().Body);
        Assert.StartsWith("""{"payment_id":""", text, StringComparison.Ordinal);
        Assert.Contains("""
            "fee":{"currency":
            """, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetStatusAsync_Duplicates_DeliversIdenticalSignedCopies()
    {
        var invoice = await CreateInvoiceAsync("FFX100000003", 10m);
        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Confirming, delivery: IpnDelivery.Suppressed);

        await _simulator.SetStatusAsync(payment.PaymentId, NowPaymentsStatuses.Finished, duplicates: 9);

        Assert.Equal(10, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => Convert.ToHexString(r.Body)).Distinct());
        Assert.All(_receiver.Received, r => Assert.True(IpnSignature.Verify(r.Body, r.Signature, IpnSecret)));
    }

    [Fact]
    public async Task PayInvoiceAsync_OutOfOrder_DeliversNewestFirst()
    {
        var invoice = await CreateInvoiceAsync("FFX100000004", 10m);

        await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.OutOfOrder);

        Assert.Equal(["finished", "sending", "confirmed", "confirming", "waiting"], Statuses());
    }

    [Fact]
    public async Task SendIpnAsync_StaleStatus_DoesNotChangeThePayment()
    {
        var invoice = await CreateInvoiceAsync("FFX100000005", 10m);
        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);

        var deliveries = await _simulator.SendIpnAsync(payment.PaymentId, NowPaymentsStatuses.Waiting);

        Assert.Equal(["waiting"], Statuses());
        Assert.Single(deliveries);
        Assert.Equal("finished", (await _harness.Client.GetPaymentAsync(payment.PaymentId)).PaymentStatus);
    }

    [Fact]
    public async Task PayInvoiceAsync_IpnSuppressed_OnlyPollingSeesThePayment()
    {
        var invoice = await CreateInvoiceAsync("FFX100000006", 10m);

        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);

        Assert.Empty(_receiver.Received);
        Assert.Empty(payment.Deliveries);
        Assert.Equal("finished", (await _harness.Client.GetPaymentAsync(payment.PaymentId)).PaymentStatus);
        Assert.Contains(_simulator.GetApiCalls(), c => c.Path == $"/payment/{payment.PaymentId}" && c.StatusCode == 200);
    }

    [Fact]
    public async Task PayInvoiceAsync_AmountOverride_ReportsTheOtherAmountEverywhere()
    {
        var invoice = await CreateInvoiceAsync("FFX100000007", 100m);

        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, amountOverride: 1m);

        Assert.All(_receiver.Received, r => Assert.Equal(1m, Parse(r).PriceAmount));
        Assert.Equal(1m, (await _harness.Client.GetPaymentAsync(payment.PaymentId)).PriceAmount);
    }

    [Fact]
    public async Task PayInvoiceAsync_PartialThenComplete_ContinuesTheSamePayment()
    {
        var invoice = await CreateInvoiceAsync("FFX100000008", 100m);

        var partial = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.PartiallyPaid);
        var complete = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished);

        Assert.Equal(partial.PaymentId, complete.PaymentId);
        Assert.Equal(["waiting", "partially_paid", "confirming", "confirmed", "sending", "finished"], Statuses());
        Assert.Equal(50m, Parse(_receiver.Received[1]).ActuallyPaid);
        Assert.Equal(100m, Parse(_receiver.Received[^1]).ActuallyPaid);
    }

    [Fact]
    public async Task PayInvoiceAsync_NewPaymentAfterFirst_IsARepeatDeposit()
    {
        var invoice = await CreateInvoiceAsync("FFX100000009", 10m);
        var first = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);

        var second = await _simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { NewPayment = true, WalkStatuses = false });

        Assert.NotEqual(first.PaymentId, second.PaymentId);
        Assert.Equal(first.PaymentId, second.ParentPaymentId);
        var ipn = Parse(_receiver.Received.Single());
        Assert.True(ipn.IsRepeatDeposit);
        Assert.Equal(first.PaymentId, ipn.ParentPaymentId);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("failed")]
    public async Task PayInvoiceAsync_UnhappyEnd_GoesWaitingThenTarget(string status)
    {
        var invoice = await CreateInvoiceAsync("FFX10000001" + status.Length, 10m);

        await _simulator.PayInvoiceAsync(invoice.Id, status);

        Assert.Equal(["waiting", status], Statuses());
    }

    [Fact]
    public async Task Delivery_ReceiverFails_IsRecordedNotThrown()
    {
        var invoice = await CreateInvoiceAsync("FFX100000020", 10m);
        _receiver.ResponseStatus = 500;

        var payment = await _simulator.PayInvoiceAsync(invoice.Id, new PayInvoice { Status = "finished", WalkStatuses = false });

        Assert.Equal(500, payment.Deliveries.Single().StatusCode);
        Assert.False(payment.Deliveries.Single().Succeeded);
        Assert.Single(_simulator.GetIpnDeliveries());
    }

    [Fact]
    public async Task ControlSurface_PayByOrderIdOverHttp_SendsIpns()
    {
        await CreateInvoiceAsync("FFX100000021", 10m);
        using var http = new HttpClient();

        var response = await http.PostAsync($"{_simulator.BaseUrl}/simulator/orders/FFX100000021/pay?status=confirmed", content: null);

        response.EnsureSuccessStatusCode();
        Assert.Equal(["waiting", "confirming", "confirmed"], Statuses());
    }

    [Fact]
    public async Task ControlSurface_SetStatusWithBody_AppliesDuplicatesAndOverride()
    {
        var invoice = await CreateInvoiceAsync("FFX100000022", 10m);
        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Waiting, delivery: IpnDelivery.Suppressed);
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(
            $"{_simulator.BaseUrl}/simulator/payments/{payment.PaymentId}/status",
            new { status = "finished", duplicates = 2, amount_override = 9.99m });

        response.EnsureSuccessStatusCode();
        Assert.Equal(["finished", "finished", "finished"], Statuses());
        Assert.Equal(9.99m, Parse(_receiver.Received[0]).PriceAmount);
    }

    [Fact]
    public async Task ControlSurface_UnknownStatusOrInvoice_Answers400Or404()
    {
        var invoice = await CreateInvoiceAsync("FFX100000023", 10m);
        using var http = new HttpClient();

        var badStatus = await http.PostAsJsonAsync($"{_simulator.BaseUrl}/simulator/invoices/{invoice.Id}/pay", new { status = "paid" });
        var unknown = await http.PostAsync($"{_simulator.BaseUrl}/simulator/invoices/1/pay", content: null);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ControlSurface_Faults_AffectProviderEndpointsOnly()
    {
        using var http = new HttpClient();

        var inject = await http.PostAsJsonAsync($"{_simulator.BaseUrl}/simulator/faults", new { status_code = 503, count = 1 });
        var control = await http.GetAsync($"{_simulator.BaseUrl}/simulator/invoices");
        var faulted = await http.GetAsync($"{_simulator.BaseUrl}/status");
        var recovered = await http.GetAsync($"{_simulator.BaseUrl}/status");

        Assert.Equal(System.Net.HttpStatusCode.NoContent, inject.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, control.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task WaitForInvoiceAsync_InvoiceCreatedLater_ReturnsIt()
    {
        var waiting = _simulator.WaitForInvoiceAsync("FFX100000024", TimeSpan.FromSeconds(5));
        await CreateInvoiceAsync("FFX100000024", 10m);

        var invoice = await waiting;

        Assert.Equal("FFX100000024", invoice.OrderId);
    }

    private async Task<Invoice> CreateInvoiceAsync(string orderId, decimal price) =>
        await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(price, "usdt_trc20", orderId, "test") { IpnCallbackUrl = _receiver.CallbackUrl });

    private string[] Statuses() => _receiver.Received.Select(r => Parse(r).PaymentStatus).ToArray();

    private static IpnPayload Parse(ReceivedIpn ipn) =>
        IpnPayload.TryParse(ipn.Body, out var payload, out var error) ? payload : throw new InvalidOperationException(error);
}
