using System.Net;
using FlashFundX.Activities.Payments;
using FlashFundX.Data.Payments;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.NowPayments.Client;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class PaymentActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private readonly FakeNowPaymentsClient _provider = new();

    private PaymentActivities Activities => new(Database.DataSource, _provider, NullLogger<PaymentActivities>.Instance);

    [Fact]
    public async Task CreateInvoice_RunTwice_CallsProviderOnceAndStoresInvoice()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), AccountType.TwoStep, 100_000, paid: false);

        var first = await InActivity.RunAsync(() => Activities.CreateInvoiceAsync(new OrderRef(orderId)));
        var second = await InActivity.RunAsync(() => Activities.CreateInvoiceAsync(new OrderRef(orderId)));

        Assert.Equal(first, second);
        var request = Assert.Single(_provider.InvoiceRequests);
        Assert.Equal(449.00m, request.PriceAmount);
        Assert.Equal("usd", request.PriceCurrency);
        Assert.Equal("usdt_trc20", request.PayCurrency);
        Assert.Equal(orderId, request.OrderId);
        Assert.Equal($"{first.InvoiceId}|{first.InvoiceUrl}", await Scenario.ScalarAsync<string>(
            "SELECT invoice_id || '|' || invoice_url FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task CreateInvoice_ConcurrentCopies_AllReturnTheStoredInvoice()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => InActivity.RunAsync(() => Activities.CreateInvoiceAsync(new OrderRef(orderId))))));

        var stored = await Scenario.ScalarAsync<string>("SELECT invoice_id FROM orders WHERE order_id = @orderId", new { orderId });
        Assert.All(results, r => Assert.Equal(stored, r.InvoiceId));
    }

    [Fact]
    public async Task CreateInvoice_ProviderRejects_FailsWithoutRetry()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        _provider.Failure = new NowPaymentsException("Invalid pay currency", HttpStatusCode.BadRequest, isRetryable: false, "INVALID_REQUEST_PARAMS");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.CreateInvoiceAsync(new OrderRef(orderId))));

        Assert.Equal(ActivityErrors.PaymentProviderRejected, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM orders WHERE invoice_id IS NOT NULL"));
    }

    [Fact]
    public async Task CreateInvoice_ProviderUnavailable_FailsRetryably()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        _provider.Failure = new NowPaymentsException("Bad gateway", HttpStatusCode.BadGateway, isRetryable: true);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.CreateInvoiceAsync(new OrderRef(orderId))));

        Assert.False(failure.NonRetryable);
        Assert.Equal(PaymentActivities.PaymentProviderUnavailable, failure.ErrorType);
    }

    [Fact]
    public async Task CheckPayment_ProviderReport_MapsToPollUpdate()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        _provider.Payment = new PaymentStatusReport(
            "5001", "confirming", 89m, "usd", 89.1m, 88.9m, "usdttrc20", orderId, "inv-1", null, null, null);

        var update = await InActivity.RunAsync(() => Activities.CheckPaymentAsync(new CheckPaymentInput(orderId, "5001")));

        Assert.Equal(new PaymentUpdate("5001", "confirming", 89m, "usd", 88.9m, "usdttrc20", null, "poll"), update);
    }

    [Fact]
    public async Task CheckPayment_PaymentOfAnotherOrder_FailsWithoutRetry()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        _provider.Payment = new PaymentStatusReport("5001", "finished", 89m, "usd", null, 89m, "btc", "FFX000000123", null, null, null, null);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => InActivity.RunAsync(() => Activities.CheckPaymentAsync(new CheckPaymentInput(orderId, "5001"))));

        Assert.True(failure.NonRetryable);
    }
}
