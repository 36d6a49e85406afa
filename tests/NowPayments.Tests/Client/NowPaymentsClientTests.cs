using FlashFundX.TestSupport;
using System.Net;
using FlashFundX.NowPayments.Client;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.NowPayments.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashFundX.NowPayments.Tests.Client;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class NowPaymentsClientTests : IAsyncLifetime
{
    private readonly string _apiKey = "np-key-" + Guid.NewGuid().ToString("N");
    private NowPaymentsSimulator _simulator = null!;
    private ClientHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions { ApiKey = _apiKey, IpnSecret = "sim-secret" });
        // Long enough for a first call on a busy CI machine, short beside the 10 s delays the timeout cases inject.
        _harness = new ClientHarness(_simulator.BaseUrl, _apiKey, requestTimeout: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task CreateInvoiceAsync_ValidRequest_CreatesInvoiceWithExactAmountAndMappedCurrency()
    {
        var request = new InvoiceRequest(10.50m, "usdt_trc20", "FFX123456789", "FTMO-style 50k challenge");

        var invoice = await _harness.Client.CreateInvoiceAsync(request);

        Assert.False(string.IsNullOrEmpty(invoice.Id));
        Assert.StartsWith(_simulator.BaseUrl, invoice.InvoiceUrl, StringComparison.Ordinal);
        Assert.Equal("FFX123456789", invoice.OrderId);
        Assert.Equal(10.50m, invoice.PriceAmount);
        Assert.NotNull(invoice.CreatedAt);
        var stored = _simulator.GetInvoiceByOrderId("FFX123456789");
        Assert.NotNull(stored);
        Assert.Equal(invoice.Id, stored.Id);
        Assert.Equal("10.50", stored.PriceAmount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("usd", stored.PriceCurrency);
        Assert.Equal("usdttrc20", stored.PayCurrency);
        Assert.Equal("http://127.0.0.1:9/webhooks/nowpayments", stored.IpnCallbackUrl);
        Assert.Equal("https://ffx.example/payment/success", stored.SuccessUrl);
        Assert.Equal("https://ffx.example/payment/cancel", stored.CancelUrl);
    }

    [Fact]
    public async Task CreateInvoiceAsync_OrderIdPlaceholderInReturnUrls_BecomesTheOrderId()
    {
        var request = new InvoiceRequest(25m, "btc", "FFX555000111", "placeholder")
        {
            SuccessUrl = "https://shop.example.test/orders/{orderId}?paid=1",
            CancelUrl = "https://shop.example.test/orders/{orderId}/cancelled",
        };

        await _harness.Client.CreateInvoiceAsync(request);

        var stored = _simulator.GetInvoiceByOrderId("FFX555000111");
        Assert.Equal("https://shop.example.test/orders/FFX555000111?paid=1", stored?.SuccessUrl);
        Assert.Equal("https://shop.example.test/orders/FFX555000111/cancelled", stored?.CancelUrl);
    }

    [Fact]
    public async Task CreateInvoiceAsync_ProviderTicker_IsSentAsIs()
    {
        await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(100m, "usdtmatic", "FFX000000002", "x"));

        Assert.Equal("usdtmatic", _simulator.GetInvoiceByOrderId("FFX000000002")!.PayCurrency);
    }

    [Fact]
    public async Task CreateInvoiceAsync_UnsupportedCurrency_ThrowsNonRetryableWithoutCallingProvider()
    {
        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() =>
            _harness.Client.CreateInvoiceAsync(new InvoiceRequest(10m, "doge", "FFX000000003", "x")));

        Assert.False(ex.IsRetryable);
        Assert.Null(ex.StatusCode);
        Assert.Empty(_simulator.GetApiCalls());
    }

    [Fact]
    public async Task CreateInvoiceAsync_ProviderRejectsRequest_ThrowsNonRetryableWithProviderMessage()
    {
        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() =>
            _harness.Client.CreateInvoiceAsync(new InvoiceRequest(0m, "btc", "FFX000000004", "x")));

        Assert.False(ex.IsRetryable);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("INVALID_REQUEST_PARAMS", ex.ProviderCode);
        Assert.Contains("price_amount", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPaymentAsync_PaidInvoice_ReportsStatusAndExactAmounts()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(99.90m, "usdt_bsc", "FFX000000005", "x"));
        var paid = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);

        var report = await _harness.Client.GetPaymentAsync(paid.PaymentId);

        Assert.Equal(paid.PaymentId, report.PaymentId);
        Assert.Equal("finished", report.PaymentStatus);
        Assert.Equal(99.90m, report.PriceAmount);
        Assert.Equal("usd", report.PriceCurrency);
        Assert.Equal(99.90m, report.PayAmount);
        Assert.Equal(99.90m, report.ActuallyPaid);
        Assert.Equal("usdtbsc", report.PayCurrency);
        Assert.Equal("FFX000000005", report.OrderId);
        Assert.Equal(invoice.Id, report.InvoiceId);
        Assert.Null(report.ParentPaymentId);
        Assert.NotNull(report.UpdatedAt);
    }

    [Fact]
    public async Task GetPaymentAsync_UnknownPayment_ThrowsNonRetryable()
    {
        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => _harness.Client.GetPaymentAsync("123"));

        Assert.False(ex.IsRetryable);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task AnyCall_WrongApiKey_ThrowsNonRetryableWithoutTheKey()
    {
        const string wrongKey = "wrong-key-must-not-leak-7f3a";
        await using var harness = new ClientHarness(_simulator.BaseUrl, wrongKey);

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() =>
            harness.Client.CreateInvoiceAsync(new InvoiceRequest(10m, "btc", "FFX000000006", "x")));

        Assert.False(ex.IsRetryable);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal("Invalid api key", ex.ProviderMessage);
        Assert.DoesNotContain(wrongKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains(wrongKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task AnyCall_TransientStatus_ThrowsRetryable(int status)
    {
        _simulator.InjectFaults(SimulatorFault.Status(status));

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() =>
            _harness.Client.CreateInvoiceAsync(new InvoiceRequest(10m, "btc", "FFX000000007", "x")));

        Assert.True(ex.IsRetryable);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(10m, "btc", "FFX000000007", "x"));
        Assert.NotNull(invoice);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task AnyCall_ClientErrorStatus_ThrowsNonRetryable(int status)
    {
        _simulator.InjectFaults(SimulatorFault.Status(status));

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => _harness.Client.GetStatusAsync());

        Assert.False(ex.IsRetryable);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
    }

    [Fact]
    public async Task AnyCall_ProviderSlowerThanTimeout_ThrowsRetryableTimeout()
    {
        _simulator.InjectFaults(SimulatorFault.Delays(TimeSpan.FromSeconds(10)));

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => _harness.Client.GetStatusAsync());

        Assert.True(ex.IsRetryable);
        Assert.Null(ex.StatusCode);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_CallerCancels_ThrowsOperationCanceledNotNowPaymentsException()
    {
        _simulator.InjectFaults(SimulatorFault.Delays(TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.Client.GetStatusAsync(cancel.Token));

        Assert.IsNotType<NowPaymentsException>(ex);
    }

    [Fact]
    public async Task AnyCall_NothingListening_ThrowsRetryableNetworkError()
    {
        await using var harness = new ClientHarness("http://127.0.0.1:1", _apiKey);

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.GetPaymentAsync("1"));

        Assert.True(ex.IsRetryable);
        Assert.Null(ex.StatusCode);
        Assert.DoesNotContain(_apiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsForADuration_ExpireOnTheirOwn()
    {
        // Wide enough that both calls land inside it on a busy CI machine.
        var window = TimeSpan.FromSeconds(2);
        _simulator.InjectFaults(new SimulatorFault { StatusCode = 503, Duration = window });

        await Assert.ThrowsAsync<NowPaymentsException>(() => _harness.Client.GetStatusAsync());
        await Assert.ThrowsAsync<NowPaymentsException>(() => _harness.Client.GetStatusAsync());
        // Nobody clears the faults: the provider answers again once the window is over.
        var status = await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    return await _harness.Client.GetStatusAsync();
                }
                catch (NowPaymentsException)
                {
                    return null;
                }
            },
            answer => answer is not null, what: "the provider answering after the fault window");

        Assert.True(status!.IsOk);
    }

    [Fact]
    public async Task GetStatusAsync_SimulatorUp_IsOkAndHealthy()
    {
        var status = await _harness.Client.GetStatusAsync();
        var health = await _harness.GetRequiredService<FlashFundX.NowPayments.NowPaymentsHealthCheck>()
            .CheckHealthAsync(new HealthCheckContext());

        Assert.True(status.IsOk);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task HealthCheck_ProviderFailing_IsUnhealthy()
    {
        _simulator.InjectFaults(SimulatorFault.ServerErrors());

        var health = await _harness.GetRequiredService<FlashFundX.NowPayments.NowPaymentsHealthCheck>()
            .CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }

    [Fact]
    public async Task HealthCheck_ProviderFailingRegisteredDegraded_IsDegraded()
    {
        _simulator.InjectFaults(SimulatorFault.ServerErrors());
        var check = _harness.GetRequiredService<FlashFundX.NowPayments.NowPaymentsHealthCheck>();
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("nowpayments", check, HealthStatus.Degraded, null) };

        var health = await check.CheckHealthAsync(context);

        Assert.Equal(HealthStatus.Degraded, health.Status);
    }

    [Fact]
    public async Task AllCalls_ApiKeyNeverLogged()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(10m, "btc", "FFX000000008", "x"));
        _simulator.InjectFaults(SimulatorFault.Status(400));
        await Assert.ThrowsAsync<NowPaymentsException>(() => _harness.Client.GetPaymentAsync("1"));

        Assert.NotEmpty(_harness.Logs.Lines);
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.Contains(_apiKey, StringComparison.Ordinal));
        Assert.NotNull(invoice);
    }
}
