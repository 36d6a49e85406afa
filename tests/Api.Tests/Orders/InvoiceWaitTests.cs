using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary>
/// <c>POST /orders</c> waits for the invoice on the order's change notifications, not by polling. No worker runs here:
/// the test plays the workflow and stores the invoice itself.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InvoiceWaitTests
{
    [Fact]
    public async Task CreateOrder_InvoiceStoredDuringWait_AnswersOnTheNotificationWithIt()
    {
        // The longest wait and re-read interval there are: without the notification, a request reads its order again
        // only at its deadline.
        await using var service = await StartAsync("invoice-notify", wait: "00:00:10", recheck: "00:00:10");
        using var client = service.CreateClient(new TestIdentities(service.SigningKey).UserA);
        // The clock: an order that never gets an invoice, created first, so its answer (at its deadline) comes
        // before the deadline of the order under test.
        var clockOrder = client.PostAsJsonAsync("/orders", OrderSteps.Body());
        var clockOrderId = await WaitForOrderRowAsync(service.Database);
        var creating = client.PostAsJsonAsync("/orders", OrderSteps.Body());
        var orderId = await WaitForOrderRowAsync(service.Database, besides: clockOrderId);

        await ExecuteAsync(service.Database, """
            UPDATE orders SET invoice_id = 'inv-notify-1', invoice_url = 'https://pay.example.test/inv-notify-1',
                              stage = 'awaiting_payment', order_status = 'awaiting_payment'
             WHERE order_id = @orderId
            """, new { orderId });
        var first = await Task.WhenAny(creating, clockOrder);
        using var response = await creating;
        using var clockResponse = await clockOrder;

        Assert.Same(creating, first);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await Json.ReadAsync(response);
        Assert.Equal(orderId, order.GetProperty("orderId").GetString());
        Assert.Equal("inv-notify-1", order.GetProperty("invoiceId").GetString());
        Assert.Equal("awaiting_payment", order.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, (await Json.ReadAsync(clockResponse)).GetProperty("invoiceId").ValueKind);
    }

    [Fact]
    public async Task CreateOrder_NoInvoiceInTime_Answers201WithoutInvoiceAfterTheWait()
    {
        var wait = TimeSpan.FromSeconds(1.5);
        await using var service = await StartAsync("invoice-timeout", wait: "00:00:01.500", recheck: "00:00:00.500");
        using var client = service.CreateClient(new TestIdentities(service.SigningKey).UserA);
        var started = Stopwatch.StartNew();

        using var response = await client.PostAsJsonAsync("/orders", OrderSteps.Body());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await Json.ReadAsync(response);
        Assert.Equal(JsonValueKind.Null, order.GetProperty("invoiceId").ValueKind);
        Assert.Equal("created", order.GetProperty("stage").GetString());
        // Behaviour, not speed: the answer came no earlier than the configured wait.
        Assert.True(started.Elapsed >= wait, $"answered after {started.Elapsed}, before the {wait} wait was over");
    }

    private static Task<FulfillmentService> StartAsync(string label, string wait, string recheck) =>
        ApiService.StartAsync(label, configure: options =>
        {
            options.Settings["Orders:InvoiceWait"] = wait;
            options.Settings["Orders:InvoiceRecheckInterval"] = recheck;
        });

    private static async Task<string> WaitForOrderRowAsync(TestDatabase database, string? besides = null) =>
        (await Eventually.WaitAsync(
            () => OrderSteps.ScalarAsync<string?>(database, "SELECT order_id FROM orders WHERE order_id IS DISTINCT FROM @besides LIMIT 1", new { besides }),
            orderId => orderId is not null, what: "the order row POST /orders inserts"))!;

    private static async Task ExecuteAsync(TestDatabase database, string sql, object args)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }
}
