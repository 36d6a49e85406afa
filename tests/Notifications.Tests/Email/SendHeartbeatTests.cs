using FlashFundX.Activities.Common;
using FlashFundX.Activities.Notifications;
using FlashFundX.Notifications.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Testing;

namespace FlashFundX.Notifications.Tests.Email;

/// <summary>
/// SendOrderEmail heartbeats while the mail server is slow, so a worker that dies mid-send is noticed after the
/// heartbeat timeout; without a heartbeat timeout it sends none.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class SendHeartbeatTests(NotificationsFixture fixture)
{
    private static readonly TimeSpan SlowSend = TimeSpan.FromSeconds(1);
    private readonly FulfillmentService _service = fixture.Service;

    [Fact]
    public async Task SlowMailServer_ActivityHeartbeatsWhileSending()
    {
        var heartbeats = await SendSlowlyAsync(heartbeatTimeout: TimeSpan.FromMilliseconds(200));

        // One every 50 ms over a one-second send; a loaded machine gets fewer ticks, never none.
        Assert.InRange(heartbeats, 3, 25);
    }

    [Fact]
    public async Task NoHeartbeatTimeout_NoHeartbeats()
    {
        Assert.Equal(0, await SendSlowlyAsync(heartbeatTimeout: null));
    }

    private async Task<int> SendSlowlyAsync(TimeSpan? heartbeatTimeout)
    {
        var order = await _service.CreateOrderAsync(_service.CreateClient(_service.NewUser()), "two_step", 10000, "mt5");
        var sender = new SlowSender(SlowSend);
        var activities = new NotificationActivities(
            _service.Services.GetRequiredService<NpgsqlDataSource>(),
            _service.Services.GetRequiredService<IOptions<SmtpOptions>>(),
            sender,
            NullLogger<NotificationActivities>.Instance);
        var heartbeats = 0;
        var environment = new ActivityEnvironment
        {
            Info = ActivityEnvironment.DefaultInfo with { HeartbeatTimeout = heartbeatTimeout },
            Heartbeater = _ => Interlocked.Increment(ref heartbeats),
        };

        var outcome = await environment.RunAsync(() => activities.SendOrderEmailAsync(new OrderEmailRequest(order.OrderId, OrderEmailKind.Cancelled)));

        Assert.Equal(NotificationActivities.Sent, outcome.Status);
        Assert.Equal(1, sender.Sent);
        var afterSend = Volatile.Read(ref heartbeats);
        await WaitTwoBeatsOfALaterLoopAsync(heartbeatTimeout ?? TimeSpan.FromMilliseconds(200));
        Assert.Equal(afterSend, Volatile.Read(ref heartbeats)); // stopped with the send
        return afterSend;
    }

    /// <summary>
    /// A heartbeat loop of the same period, started after the send returned, beats twice: had the send's own loop
    /// survived the send, it would have beaten meanwhile too.
    /// </summary>
    private static async Task WaitTwoBeatsOfALaterLoopAsync(TimeSpan heartbeatTimeout)
    {
        var beats = 0;
        var probe = new ActivityEnvironment
        {
            Info = ActivityEnvironment.DefaultInfo with { HeartbeatTimeout = heartbeatTimeout },
            Heartbeater = _ => Interlocked.Increment(ref beats),
        };
        await probe.RunAsync(async () =>
        {
            await using var heartbeat = ActivityHeartbeat.Start();
            await Eventually.WaitAsync(() => Volatile.Read(ref beats) >= 2, "two beats of a heartbeat loop started after the send", interval: TimeSpan.FromMilliseconds(10));
        });
    }

    private sealed class SlowSender(TimeSpan delay) : IOrderMailSender
    {
        public int Sent { get; private set; }

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            Sent++;
        }
    }
}
