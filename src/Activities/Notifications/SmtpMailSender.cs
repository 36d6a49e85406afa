using System.Collections.Concurrent;
using System.Diagnostics;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FlashFundX.Activities.Notifications;

/// <summary>
/// MailKit over <see cref="SmtpOptions"/>, keeping connections open between messages. At the rates the service is built
/// for (one e-mail per order, a hundred orders a second) a connection, greeting, EHLO, STARTTLS and login for every
/// message would cost more than the message. Up to <see cref="MaxIdleConnections"/> connections wait for the next
/// message, each for at most <see cref="IdleLifetime"/>, well inside the idle timeouts of mail servers (minutes). A reused
/// connection the server closed meanwhile fails at once; the message then goes once more on a fresh connection. (Had
/// the server taken the message before the connection broke, it arrives twice with the same Message-Id, as after an
/// activity retry: see <see cref="NotificationActivities"/>.) A connection that failed in any other way is closed.
/// </summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options) : IOrderMailSender, IAsyncDisposable
{
    public const int MaxIdleConnections = 8;

    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(15);

    // Last in, first out: the most recently used connection goes first and the others age out when traffic falls.
    private readonly ConcurrentStack<IdleConnection> idle = new();
    private int disposed;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (TakeIdle() is { } kept)
        {
            try
            {
                await SendOnAsync(kept, message, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (IsClosedConnection(e) && !cancellationToken.IsCancellationRequested)
            {
                // Closed by the server while it waited here; a fresh connection sends the message.
            }
        }
        await SendOnAsync(await ConnectAsync(cancellationToken).ConfigureAwait(false), message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        while (idle.TryPop(out var connection))
        {
            try
            {
                using var quitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.Client.DisconnectAsync(quit: true, quitTimeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a polite QUIT at shutdown; the socket closes either way
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            connection.Client.Dispose();
        }
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        var host = smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not configured.");
        var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        try
        {
            var security = !smtp.UseTls ? SecureSocketOptions.None
                : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            await client.ConnectAsync(host, smtp.Port, security, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends on <paramref name="client"/>, then keeps it for the next message; closes it when the send fails.</summary>
    private async Task SendOnAsync(SmtpClient client, MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Close(client);
            throw;
        }
        Return(client);
    }

    private SmtpClient? TakeIdle()
    {
        while (idle.TryPop(out var connection))
        {
            if (connection.Client.IsConnected && Stopwatch.GetElapsedTime(connection.IdleSince) < IdleLifetime)
            {
                return connection.Client;
            }
            Close(connection.Client);
        }
        return null;
    }

    private void Return(SmtpClient client)
    {
        if (Volatile.Read(ref disposed) == 1 || !client.IsConnected || idle.Count >= MaxIdleConnections)
        {
            Close(client);
            return;
        }
        idle.Push(new IdleConnection(client, Stopwatch.GetTimestamp()));
        if (Volatile.Read(ref disposed) == 1)
        {
            // Disposed meanwhile, perhaps after it emptied the stack: nothing may stay open behind it.
            while (idle.TryPop(out var left))
            {
                Close(left.Client);
            }
        }
    }

    private static void Close(SmtpClient client)
    {
        // Without QUIT: the connection is stale, broken or surplus, and a round trip to say goodbye buys nothing.
        client.Dispose();
    }

    // 421: the server is closing the channel, as many do when the next command follows a long silence.
    private static bool IsClosedConnection(Exception e) =>
        e is ServiceNotConnectedException or SmtpProtocolException or IOException
            or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    private sealed record IdleConnection(SmtpClient Client, long IdleSince);
}
