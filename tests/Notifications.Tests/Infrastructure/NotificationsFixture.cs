using FlashFundX.LocalDev.Mail;
using FlashFundX.TestSupport.Service;

namespace FlashFundX.Notifications.Tests.Infrastructure;

/// <summary>
/// One running service (real API over Kestrel, in-process worker) whose SMTP server is an in-process sink, shared by
/// every test of the collection: tests use their own users and orders and look only at their own mail and events.
/// Heartbeats every 300 ms and a 2 s LISTEN reconnect delay keep the timing tests short.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(300);

    private FulfillmentService? _service;
    private LocalSmtpSink? _sink;

    public FulfillmentService Service => _service ?? throw new InvalidOperationException("Not started.");

    public LocalSmtpSink Sink => _sink ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _sink = await LocalSmtpSink.StartAsync();
        var options = new FulfillmentServiceOptions { DatabaseLabel = "notify" };
        options.Settings["Smtp:Enabled"] = "true";
        options.Settings["Smtp:Host"] = _sink.Host;
        options.Settings["Smtp:Port"] = _sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Settings["Smtp:UseTls"] = "false";
        options.Settings["Smtp:From"] = "FlashFundX <orders@flashfundx.test>";
        options.Settings["OrderEvents:HeartbeatInterval"] = "00:00:00.300";
        options.Settings["OrderEvents:ReconnectDelay"] = "00:00:02";
        options.Settings["OrderEvents:SweepInterval"] = "00:00:00.500";
        // ConcurrentStreamsTests holds a thousand streams of one user open at once: above both stream caps' defaults.
        options.Settings["Limits:StreamsPerUser"] = "2000";
        options.Settings["Limits:StreamsPerProcess"] = "2000";
        _service = await FulfillmentService.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
    }

    /// <summary>The mail the sink received about <paramref name="orderId"/>.</summary>
    public IReadOnlyList<ReceivedMail> MailFor(string orderId) =>
        Sink.Messages.Where(m => m.Message.Headers["X-FlashFundX-Order"] == orderId).ToArray();
}
