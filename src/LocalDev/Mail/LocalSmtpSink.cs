using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;

namespace FlashFundX.LocalDev.Mail;

/// <summary>
/// An in-process SMTP server on 127.0.0.1 that accepts every message (no TLS, no auth) for the run command and tests:
/// messages are kept in memory and, given a folder, written there as <c>.eml</c> files. <see cref="StopAsync"/> and
/// <see cref="StartAsync()"/> take it down and bring it back on the same port, as an outage would.
/// </summary>
public sealed class LocalSmtpSink : IAsyncDisposable
{
    private readonly List<ReceivedMail> _messages = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private Task? _running;

    private LocalSmtpSink(int port, string? folder)
    {
        Port = port;
        Folder = folder;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>Where each message is also written as an .eml file; null when only kept in memory.</summary>
    public string? Folder { get; }

    public bool IsRunning => _running is { IsCompleted: false };

    public IReadOnlyList<ReceivedMail> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Starts a sink on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<LocalSmtpSink> StartAsync(int port = 0, string? folder = null)
    {
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        var sink = new LocalSmtpSink(port == 0 ? LoopbackPorts.Free() : port, folder);
        await sink.StartAsync().ConfigureAwait(false);
        return sink;
    }

    /// <summary>Listens again (after <see cref="StopAsync"/>) on the same port.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }
        var options = new SmtpServerOptionsBuilder()
            .ServerName("flashfundx-local-sink")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new SinkMessageStore(AcceptAsync));
        var server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = server.StartAsync(_stop.Token);
        await WaitUntilListeningAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening: senders get "connection refused" until <see cref="StartAsync()"/>.</summary>
    public async Task StopAsync()
    {
        if (_stop is null || _running is null)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }
        _stop.Dispose();
        (_stop, _running) = (null, null);
    }

    /// <summary>Waits until the messages received so far satisfy <paramref name="done"/>; throws after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<IReadOnlyList<ReceivedMail>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (done(_messages))
                {
                    return [.. _messages];
                }
                arrived = _arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The SMTP sink did not receive the expected mail within {timeout} ({Messages.Count} received).");
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task AcceptAsync(Guid sessionId, byte[] raw, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(raw);
        var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        var mail = new ReceivedMail(message, raw, DateTimeOffset.UtcNow) { SessionId = sessionId };
        if (Folder is not null)
        {
            var name = $"{mail.ReceivedAt:yyyyMMdd-HHmmss-fff}-{Sanitize(message.MessageId)}.eml";
            await File.WriteAllBytesAsync(Path.Combine(Folder, name), raw, cancellationToken).ConfigureAwait(false);
        }
        TaskCompletionSource arrived;
        lock (_gate)
        {
            _messages.Add(mail);
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _running is { IsCompleted: false })
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    private static string Sanitize(string? messageId) =>
        string.Concat((messageId ?? "message").Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
}
