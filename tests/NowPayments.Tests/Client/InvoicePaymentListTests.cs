using System.Net;
using FlashFundX.NowPayments.Client;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.NowPayments.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashFundX.NowPayments.Tests.Client;

/// <summary>
/// <c>ListInvoicePaymentsAsync</c> against the simulator: the login (<c>POST /auth</c>) and the payment list behind it,
/// which is how an order whose every IPN was lost learns of its payment.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class InvoicePaymentListTests : IAsyncLifetime
{
    private const string Email = "merchant@example.test";
    private readonly string _apiKey = "np-key-" + Guid.NewGuid().ToString("N");
    private readonly string _password = "np-pass-" + Guid.NewGuid().ToString("N");
    private NowPaymentsSimulator _simulator = null!;
    private ClientHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
        {
            ApiKey = _apiKey, IpnSecret = "sim-secret", AccountEmail = Email, AccountPassword = _password,
        });
        _harness = Harness(_password);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_PaymentsWithoutIpns_ListsOnlyThatInvoicesOldestFirst()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(99m, "btc", "FFX000000101", "x"));
        var other = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(49m, "btc", "FFX000000102", "x"));
        var first = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);
        var repeat = await _simulator.PayInvoiceAsync(invoice.Id, new PayInvoice
        {
            Status = NowPaymentsStatuses.Waiting, NewPayment = true, Delivery = IpnDelivery.Suppressed,
        });
        await _simulator.PayInvoiceAsync(other.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);

        var listed = await _harness.Client.ListInvoicePaymentsAsync(invoice.Id);

        Assert.True(_harness.Client.CanListInvoicePayments);
        Assert.Equal([first.PaymentId, repeat.PaymentId], listed.Select(p => p.PaymentId));
        Assert.Equal(["finished", "waiting"], listed.Select(p => p.PaymentStatus));
        Assert.All(listed, p => Assert.Equal((invoice.Id, "FFX000000101", 99m), (p.InvoiceId, p.OrderId, p.PriceAmount)));
        Assert.Equal(first.PaymentId, listed[1].ParentPaymentId);
        Assert.Empty(_simulator.GetIpnDeliveries());
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_InvoiceWithoutPayments_IsEmpty()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(99m, "btc", "FFX000000103", "x"));

        Assert.Empty(await _harness.Client.ListInvoicePaymentsAsync(invoice.Id));
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_RepeatedCalls_LogInOnce()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(99m, "btc", "FFX000000104", "x"));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _harness.Client.ListInvoicePaymentsAsync(invoice.Id)));
        await _harness.Client.ListInvoicePaymentsAsync(invoice.Id);

        Assert.Single(_simulator.GetApiCalls(), c => c.Path == "/auth");
        Assert.Equal(5, _simulator.GetApiCalls().Count(c => c.Method == "GET" && c.Path == "/payment/" && c.StatusCode == 200));
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_TokenRefused_LogsInAgainOnce()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(99m, "btc", "FFX000000105", "x"));
        var payment = await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Confirmed, delivery: IpnDelivery.Suppressed);
        await _harness.Client.ListInvoicePaymentsAsync(invoice.Id);
        _simulator.RevokeTokens();

        var listed = await _harness.Client.ListInvoicePaymentsAsync(invoice.Id);

        Assert.Equal(payment.PaymentId, Assert.Single(listed).PaymentId);
        Assert.Equal(2, _simulator.GetApiCalls().Count(c => c.Path == "/auth" && c.StatusCode == 200));
        Assert.Single(_simulator.GetApiCalls(), c => c.Path == "/payment/" && c.StatusCode == 401);
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_WrongPassword_ThrowsNonRetryableWithoutTheSecret()
    {
        var wrong = "wrong-pass-" + Guid.NewGuid().ToString("N");
        await using var harness = Harness(wrong);

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.ListInvoicePaymentsAsync("4000000001"));

        Assert.False(ex.IsRetryable);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains(wrong, StringComparison.Ordinal));
        Assert.DoesNotContain(_simulator.GetApiCalls(), c => c.Path.StartsWith("/payment", StringComparison.Ordinal));

        // A refused login is not tried again at once: probes and lookups must not hammer /auth with a wrong password.
        var again = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.ListInvoicePaymentsAsync("4000000001"));
        Assert.False(again.IsRetryable);
        Assert.Single(_simulator.GetApiCalls(), c => c.Path == "/auth");
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_NoLoginConfigured_ThrowsNonRetryableWithoutCallingTheProvider()
    {
        await using var harness = new ClientHarness(_simulator.BaseUrl, _apiKey);

        var ex = await Assert.ThrowsAsync<NowPaymentsException>(() => harness.Client.ListInvoicePaymentsAsync("4000000001"));

        Assert.False(harness.Client.CanListInvoicePayments);
        Assert.False(ex.IsRetryable);
        Assert.Contains("NowPayments:Email", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_simulator.GetApiCalls());
    }

    [Fact]
    public async Task ListInvoicePaymentsAsync_Succeeds_NeitherPasswordNorTokenLogged()
    {
        var invoice = await _harness.Client.CreateInvoiceAsync(new InvoiceRequest(99m, "btc", "FFX000000106", "x"));
        await _simulator.PayInvoiceAsync(invoice.Id, NowPaymentsStatuses.Finished, delivery: IpnDelivery.Suppressed);

        await _harness.Client.ListInvoicePaymentsAsync(invoice.Id);

        var token = _harness.GetRequiredService<NowPaymentsAccessToken>().Peek();
        Assert.NotNull(token);
        Assert.NotEmpty(_harness.Logs.Lines);
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.Contains(_password, StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthCheck_LoginWorks_IsHealthyAndLogsInOnce()
    {
        var check = _harness.GetRequiredService<NowPaymentsHealthCheck>();

        var first = await check.CheckHealthAsync(new HealthCheckContext());
        var second = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Healthy, HealthStatus.Healthy), (first.Status, second.Status));
        Assert.Single(_simulator.GetApiCalls(), c => c.Path == "/auth");
    }

    [Fact]
    public async Task HealthCheck_WrongPassword_IsUnhealthyNamingTheLoginWithoutTheSecret()
    {
        var wrong = "wrong-pass-" + Guid.NewGuid().ToString("N");
        await using var harness = Harness(wrong);

        var health = await harness.GetRequiredService<NowPaymentsHealthCheck>().CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("NowPayments:Password", health.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, health.Description, StringComparison.Ordinal);
    }

    private ClientHarness Harness(string password) => new(_simulator.BaseUrl, _apiKey, settings: new Dictionary<string, string?>
    {
        ["NowPayments:Email"] = Email,
        ["NowPayments:Password"] = password,
    });
}
