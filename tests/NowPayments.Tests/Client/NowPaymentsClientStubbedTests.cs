using System.Net;
using System.Text;
using FlashFundX.NowPayments.Client;
using FlashFundX.NowPayments.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.NowPayments.Tests.Client;

/// <summary>Provider answers the simulator never gives: echoed secrets, odd shapes, unreadable bodies.</summary>
public sealed class NowPaymentsClientStubbedTests
{
    private const string ApiKey = "stub-api-key-9c1d";
    private const string IpnSecret = "stub-ipn-secret-4b2e";

    [Fact]
    public async Task GetPaymentAsync_IdsAndAmountsAsStrings_ParsesThem()
    {
        await using var harness = Stub(HttpStatusCode.OK, """
            {"payment_id":"5524759814","payment_status":"partially_paid","price_amount":"5","price_currency":"usd",
             "pay_amount":165.652609,"actually_paid":"80.5","pay_currency":"trx","order_id":"FFX1","invoice_id":4522625843,
             "parent_payment_id":5524759813,"updated_at":"2020-12-16T14:40:46.523Z","outcome_amount":null}
            """);

        var report = await harness.Client.GetPaymentAsync("5524759814");

        Assert.Equal("5524759814", report.PaymentId);
        Assert.Equal("partially_paid", report.PaymentStatus);
        Assert.Equal(5m, report.PriceAmount);
        Assert.Equal(165.652609m, report.PayAmount);
        Assert.Equal(80.5m, report.ActuallyPaid);
        Assert.Equal("4522625843", report.InvoiceId);
        Assert.Equal("5524759813", report.ParentPaymentId);
        Assert.Null(report.OutcomeAmount);
        Assert.Equal(new DateTimeOffset(2020, 12, 16, 14, 40, 46, 523, TimeSpan.Zero), report.UpdatedAt);
    }

    [Fact]
    public async Task AnyCall_ProviderEchoesSecrets_MessageIsScrubbed()
    {
        await using var harness = Stub(HttpStatusCode.BadRequest, $$"""{"status":false,"statusCode":400,"code":"BAD","message":"key {{ApiKey}} / {{IpnSecret}} rejected"}""");

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.GetStatusAsync());

        Assert.False(ex.IsRetryable);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(IpnSecret, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("rejected", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnyCall_NonJsonErrorBody_KeepsAnExcerpt()
    {
        await using var harness = Stub(HttpStatusCode.BadGateway, "<html>bad gateway</html>");

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.GetStatusAsync());

        Assert.True(ex.IsRetryable);
        Assert.Contains("bad gateway", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_SuccessWithUnreadableBody_IsRetryable()
    {
        await using var harness = Stub(HttpStatusCode.OK, "<html>maintenance</html>");

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.GetPaymentAsync("1"));

        Assert.True(ex.IsRetryable);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
    }

    [Fact]
    public async Task CreateInvoiceAsync_SendsSnakeCaseBodyAndApiKeyHeader()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """{"id":"1","invoice_url":"https://np/1","price_amount":"10.50"}""");
        await using var harness = new ClientHarness("https://np.example/v1", ApiKey, IpnSecret, configureHttp: http => http.ConfigurePrimaryHttpMessageHandler(() => handler));

        await harness.Client.CreateInvoiceAsync(new InvoiceRequest(10.50m, "bnb", "FFX9", "desc /ü"));

        Assert.Equal("https://np.example/v1/invoice", handler.LastUri?.ToString());
        Assert.Equal(ApiKey, handler.LastApiKey);
        Assert.Equal(
            """{"price_amount":10.50,"price_currency":"usd","pay_currency":"bnbbsc","order_id":"FFX9","order_description":"desc /ü","ipn_callback_url":"http://127.0.0.1:9/webhooks/nowpayments","success_url":"https://ffx.example/payment/success","cancel_url":"https://ffx.example/payment/cancel"}""",
            handler.LastBody);
    }

    private static ClientHarness Stub(HttpStatusCode status, string body) =>
        new("https://np.example/v1", ApiKey, IpnSecret, configureHttp: http => http.ConfigurePrimaryHttpMessageHandler(() => new StubHandler(status, body)));

    private sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public Uri? LastUri { get; private set; }

        public string? LastApiKey { get; private set; }

        public string? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            LastApiKey = request.Headers.TryGetValues("x-api-key", out var values) ? values.Single() : null;
            LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
