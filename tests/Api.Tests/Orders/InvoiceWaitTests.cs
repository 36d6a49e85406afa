using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary>
/// <c>POST /orders</c> waits for the invoice on the order's change notifications, not by polling. No worker runs here:
/// the test plays the workflow and stores the invoice itself.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InvoiceWaitTests(PostgresFixture postgres, TemporalTestEnvironment temporal, SimulatorFixture simulator)
{
    [Fact]
    public async Task CreateOrder_InvoiceStoredDuringWait_AnswersOnTheNotificationWithIt()
    {
        // Re-reads without a notification only after 10 s: an answer well before that came from the notification.
        var (app, database) = await StartAsync("invoice-notify", wait: "00:00:10", recheck: "00:00:10");
        await using var _ = database;
        using var __ = app;
        using var client = app.ClientFor(app.Identities.UserA);
        var creating = client.PostAsJsonAsync("/orders", OrderSteps.Body());
        var orderId = await WaitForOrderRowAsync(database);
        await Task.Delay(200); // let the request start waiting

        var stored = Stopwatch.StartNew();
        await ExecuteAsync(database, """
            UPDATE orders SET invoice_id = 'inv-notify-1', invoice_url = 'https://pay.example.test/inv-notify-1',
                              stage = 'awaiting_payment', order_status = 'awaiting_payment'
             WHERE order_id = @orderId
            """, new { orderId });
        using var response = await creating;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await Json.ReadAsync(response);
        Assert.Equal(orderId, order.GetProperty("orderId").GetString());
        Assert.Equal("inv-notify-1", order.GetProperty("invoiceId").GetString());
        Assert.Equal("awaiting_payment", order.GetProperty("stage").GetString());
        Assert.True(stored.Elapsed < TimeSpan.FromSeconds(5), $"answered {stored.Elapsed} after the invoice was stored");
    }

    [Fact]
    public async Task CreateOrder_NoInvoiceInTime_Answers201WithoutInvoiceAfterTheWait()
    {
        var (app, database) = await StartAsync("invoice-timeout", wait: "00:00:01.500", recheck: "00:00:00.500");
        await using var _ = database;
        using var __ = app;
        using var client = app.ClientFor(app.Identities.UserA);
        var started = Stopwatch.StartNew();

        using var response = await client.PostAsJsonAsync("/orders", OrderSteps.Body());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await Json.ReadAsync(response);
        Assert.Equal(JsonValueKind.Null, order.GetProperty("invoiceId").ValueKind);
        Assert.Equal("created", order.GetProperty("stage").GetString());
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
    }

    private Task<(ApiApp App, TestDatabase Database)> StartAsync(string label, string wait, string recheck) =>
        ApiApp.StartAsync(postgres, temporal, simulator, label, worker: false, configure: settings =>
        {
            settings["Orders:InvoiceWait"] = wait;
            settings["Orders:InvoiceRecheckInterval"] = recheck;
        });

    private static async Task<string> WaitForOrderRowAsync(TestDatabase database) =>
        (await Eventually.WaitAsync(
            () => OrderSteps.ScalarAsync<string?>(database, "SELECT order_id FROM orders LIMIT 1"),
            orderId => orderId is not null, what: "the order row POST /orders inserts"))!;

    private static async Task ExecuteAsync(TestDatabase database, string sql, object args)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }
}
