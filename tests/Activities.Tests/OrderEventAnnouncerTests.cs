using System.Collections.Concurrent;
using FlashFundX.Activities.Delivery;
using FlashFundX.Data.Delivery;
using FlashFundX.Data.Events;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Metrics;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FlashFundX.Activities.Tests;

/// <summary>
/// Order events of deliveries are announced after commit by the announcer (order id alone), not by the trigger; every
/// other write is still announced by the trigger (<c>order_id:event_id</c>). The events themselves are written either way.
/// </summary>
[Collection(PostgresTests.Collection)]
public sealed class OrderEventAnnouncerTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DeliverOrder_EventAnnouncedAfterCommitByOrderId_NotByTheTrigger()
    {
        var orderId = await Scenario.CreatePaidOrderAsync();
        await Scenario.AddAccountsAsync(1);
        await using var listener = await ListenAsync();
        var delivery = new DeliveryActivities(Database.DataSource, Announcer, TestMetrics.Instance, NullLogger<DeliveryActivities>.Instance);

        var outcome = await InActivity.RunAsync(() => delivery.DeliverOrderAsync(new OrderRef(orderId)));

        Assert.True(outcome.Delivered);
        Assert.Equal(orderId, await listener.NextAsync(Wait));
        Assert.Equal("completed", await Scenario.ScalarAsync<string>(
            "SELECT stage FROM order_events WHERE order_id = @orderId ORDER BY id DESC LIMIT 1", new { orderId }));
        await Scenario.ExecuteAsync("UPDATE orders SET status_note = 'marker' WHERE order_id = @orderId", new { orderId });
        await Scenario.ExecuteAsync("SELECT pg_notify('order_events', 'end')");
        Assert.Equal("end", await listener.NextAsync(Wait));
    }

    [Fact]
    public async Task OtherWrites_StillAnnouncedByTheTrigger_WithTheEventId()
    {
        var orderId = await Scenario.CreatePaidOrderAsync();
        await using var listener = await ListenAsync();

        await Scenario.ExecuteAsync("UPDATE orders SET stage = 'waiting_inventory', delivery_status = 'waiting_inventory' WHERE order_id = @orderId", new { orderId });

        var eventId = await Scenario.ScalarAsync<long>("SELECT max(id) FROM order_events WHERE order_id = @orderId", new { orderId });
        Assert.Equal($"{orderId}:{eventId}", await listener.NextAsync(Wait));
    }

    [Fact]
    public async Task Announce_ManyOrdersTwice_EveryOrderAnnounced_NoOtherPayload()
    {
        var orderIds = Enumerable.Range(0, 50).Select(i => $"FFX{900000000 + i}").ToArray();
        await using var listener = await ListenAsync();

        foreach (var orderId in orderIds.Concat(orderIds))
        {
            Announcer.Announce(orderId);
        }
        var received = new List<string>();
        while (!orderIds.All(received.Contains))
        {
            received.Add(await listener.NextAsync(Wait));
        }
        // Every order arrived: whatever the announcer still had queued comes before this marker.
        await Scenario.ExecuteAsync("SELECT pg_notify('order_events', 'end')");
        string payload;
        while ((payload = await listener.NextAsync(Wait)) != "end")
        {
            received.Add(payload);
        }
        Assert.Equal(orderIds.Order(), received.Distinct().Order());
    }

    private async Task<Listener> ListenAsync()
    {
        var connection = await Database.DataSource.OpenConnectionAsync();
        var listener = new Listener(connection);
        await using (var listen = new NpgsqlCommand($"LISTEN {OrderEventAnnouncer.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }
        return listener;
    }

    private sealed class Listener : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly BlockingCollection<string> _payloads = [];

        public Listener(NpgsqlConnection connection)
        {
            _connection = connection;
            _connection.Notification += (_, e) => _payloads.Add(e.Payload);
        }

        public async Task<string> NextAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_payloads.TryTake(out var payload))
                {
                    return payload;
                }
                await _connection.WaitAsync(TimeSpan.FromMilliseconds(100));
            }
            throw new TimeoutException("no notification on order_events");
        }

        public async ValueTask DisposeAsync()
        {
            await _connection.DisposeAsync();
            _payloads.Dispose();
        }
    }
}
