using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FlashFundX.Api.Tests.Webhooks;

/// <summary>Anonymous IPN traffic cannot grow webhook_events without bound: a per-minute budget of stored refusals, and retention.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookStorageLimitTests
{
    [Fact]
    public async Task RefusedIpnsPastTheBudget_AnsweredAndCounted_NotStored_ValidOnesStillStored()
    {
        await using var service = await ApiService.StartAsync("ipnbudget", configure: options =>
            options.Settings["Webhooks:RejectedRowsPerMinute"] = "3");
        using var client = service.CreateClient();
        using var unrecorded = new CounterListener(service.Services.GetRequiredService<IMeterFactory>(), "ffx.webhooks.unrecorded");
        var orderId = "ord_budget_" + Guid.NewGuid().ToString("N")[..8];
        var body = IpnBuilder.Body(orderId, "7100000001", "waiting", 100m);

        for (var i = 0; i < 4; i++)
        {
            using var forged = await client.SendAsync(IpnBuilder.Request(body, "00ff"));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        using var malformed = await client.SendAsync(IpnBuilder.Request(Encoding.UTF8.GetBytes("{\"order_id\":\"" + orderId + "\""), null));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var valid = await client.SendAsync(IpnBuilder.SignedRequest(body, service.IpnSecret));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);

        var rows = await service.QueryAsync<(string Outcome, long Count)>(
            "SELECT outcome, count(*) FROM webhook_events GROUP BY outcome ORDER BY outcome");
        Assert.Equal([("invalid_signature", 3L), ("orphaned", 1L)], rows);
        Assert.Equal(2, unrecorded.Total);
    }

    [Fact]
    public async Task Retention_DeletesExpiredRows_KeepsYoungerOnesAndUndispatchedWork()
    {
        await using var service = await ApiService.StartAsync("ipnretention", worker: true, configure: options =>
        {
            options.Settings["WebhookRetention:Interval"] = "00:00:00.200";
            options.Settings["Serilog:MinimumLevel:Default"] = "Information";
        });
        const string insert = """
            INSERT INTO webhook_events (order_id, signature_valid, outcome, http_status, received_at, dispatched_at)
            VALUES (@Label, @Signed, @Outcome, 200, now() - make_interval(days => @Days),
                    CASE WHEN @Dispatched THEN now() - make_interval(days => @Days) END)
            """;
        (string Label, string Outcome, int Days, bool Dispatched, bool Expired)[] rows =
        [
            ("forged-8d", "invalid_signature", 8, false, true),
            ("forged-6d", "invalid_signature", 6, false, false),
            ("malformed-8d", "malformed", 8, false, true),
            ("duplicate-91d", "duplicate", 91, false, true),
            ("orphaned-100d", "orphaned", 100, false, true),
            ("dispatched-91d", "accepted", 91, true, true),
            ("undispatched-91d", "accepted", 91, false, false),
            ("late-89d", "late", 89, false, false),
        ];
        await using (var connection = await service.DataSource.OpenConnectionAsync())
        {
            foreach (var row in rows)
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, insert, new
                {
                    row.Label, row.Outcome, row.Days, row.Dispatched, Signed = row.Outcome is not ("invalid_signature" or "malformed"),
                });
            }
        }

        var expired = rows.Where(r => r.Expired).Select(r => r.Label).ToArray();
        await Eventually.WaitAsync(
            async () => await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE order_id = ANY(@expired)", new { expired }) == 0,
            "the expired rows deleted by the worker's retention");

        var left = await service.QueryAsync<string>("SELECT order_id FROM webhook_events ORDER BY order_id");
        Assert.Equal(rows.Where(r => !r.Expired).Select(r => r.Label).Order(StringComparer.Ordinal), left);
        Assert.NotEmpty(service.Logs.LinesContaining("expired webhook_events rows"));
    }

    /// <summary>Sums one counter of one service's meters (its own <see cref="IMeterFactory"/>, so parallel services do not mix).</summary>
    private sealed class CounterListener : IDisposable
    {
        private readonly MeterListener listener = new();
        private long total;

        public CounterListener(IMeterFactory factory, string instrument)
        {
            listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Scope == factory && i.Meter.Name == FulfillmentMetrics.MeterName && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref total, value));
            listener.Start();
        }

        public long Total => Interlocked.Read(ref total);

        public void Dispose() => listener.Dispose();
    }
}
