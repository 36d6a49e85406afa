using FlashFundX.Activities.Notifications;
using FlashFundX.LocalDev.Mail;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FlashFundX.Notifications.Tests.Email;

/// <summary>The sender against a real SMTP server (the local sink): connections are kept, and replaced when closed.</summary>
public sealed class SmtpMailSenderTests
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Send_SeveralMessagesInTurn_OneConnection()
    {
        await using var sink = await LocalSmtpSink.StartAsync();
        await using var sender = Sender(sink);

        for (var i = 0; i < 5; i++)
        {
            await sender.SendAsync(Message($"m{i}"), CancellationToken.None);
        }

        var received = await sink.WaitForAsync(m => m.Count == 5, MailWait);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], received.Select(m => m.Message.Subject));
        Assert.Single(received.Select(m => m.SessionId).Distinct());
    }

    [Fact]
    public async Task Send_ManyAtOnce_EachOnce_ThenReusesThePool()
    {
        await using var sink = await LocalSmtpSink.StartAsync();
        await using var sender = Sender(sink);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => sender.SendAsync(Message($"a{i}"), CancellationToken.None)));
        for (var i = 0; i < 5; i++)
        {
            await sender.SendAsync(Message($"b{i}"), CancellationToken.None);
        }

        var received = await sink.WaitForAsync(m => m.Count == 25, MailWait);
        Assert.Equal(25, received.Select(m => m.Message.Subject).Distinct().Count());
        var burstSessions = received.Where(m => m.Message.Subject!.StartsWith('a')).Select(m => m.SessionId).ToHashSet();
        Assert.InRange(burstSessions.Count, 1, 20);
        Assert.All(received.Where(m => m.Message.Subject!.StartsWith('b')), m => Assert.Contains(m.SessionId, burstSessions));
    }

    // The server closing a kept connection (a restart here; an idle timeout in the field): the next message goes once,
    // on a fresh connection, instead of failing its attempt.
    [Fact]
    public async Task Send_AfterTheServerClosedTheKeptConnection_SentOnceOnAFreshOne()
    {
        await using var sink = await LocalSmtpSink.StartAsync();
        await using var sender = Sender(sink);
        await sender.SendAsync(Message("first"), CancellationToken.None);

        await sink.StopAsync();
        await sink.StartAsync();
        await sender.SendAsync(Message("second"), CancellationToken.None);

        var received = await sink.WaitForAsync(m => m.Count == 2, MailWait);
        Assert.Equal(["first", "second"], received.Select(m => m.Message.Subject));
        Assert.Equal(2, received.Select(m => m.SessionId).Distinct().Count());
    }

    [Fact]
    public async Task Send_ServerDown_Throws_NothingKept()
    {
        await using var sink = await LocalSmtpSink.StartAsync();
        await using var sender = Sender(sink);
        await sink.StopAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Message("lost"), CancellationToken.None));

        await sink.StartAsync();
        await sender.SendAsync(Message("later"), CancellationToken.None);
        var received = await sink.WaitForAsync(m => m.Count == 1, MailWait);
        Assert.Equal("later", Assert.Single(received).Message.Subject);
    }

    private static SmtpMailSender Sender(LocalSmtpSink sink) => new(Options.Create(new SmtpOptions
    {
        Enabled = true,
        Host = sink.Host,
        Port = sink.Port,
        UseTls = false,
        TimeoutSeconds = 5,
    }));

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = subject } };
        message.From.Add(MailboxAddress.Parse("orders@flashfundx.test"));
        message.To.Add(MailboxAddress.Parse("buyer@example.test"));
        return message;
    }
}
