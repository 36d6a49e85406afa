using System.Diagnostics;
using FlashFundX.Activities.Notifications;
using FlashFundX.Bench.EndToEnd;
using FlashFundX.LocalDev.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using static System.FormattableString;

namespace FlashFundX.Bench.Email;

/// <summary>
/// Order e-mails to an SMTP server (the local sink, in this process): <see cref="SmtpMailSender"/>, which keeps its
/// connections, against a connection per message (how it sent until 2026-12-03), in alternating rounds of the same
/// messages. Prints messages/s and this process's CPU per message (sender and sink together) for each, and the ratio.
/// No TLS here: against a real server each new connection also pays a TLS handshake, so the ratio is the least saved.
/// Usage: <c>email [--messages 2000] [--concurrency 8] [--rounds 3]</c>.
/// </summary>
public static class EmailSenderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var messages = Args.Int(args, "--messages", 2000);
        var concurrency = Args.Int(args, "--concurrency", 8);
        var rounds = Args.Int(args, "--rounds", 3);
        await using var sink = await LocalSmtpSink.StartAsync().ConfigureAwait(false);
        var options = Options.Create(new SmtpOptions { Enabled = true, Host = sink.Host, Port = sink.Port, UseTls = false });
        var perMessage = new ConnectionPerMessageSender(options.Value);
        await using var pooled = new SmtpMailSender(options);
        Console.WriteLine(Invariant($"email: {messages} messages per round at concurrency {concurrency}, {rounds} rounds each, {Environment.ProcessorCount} cores, load average {EndToEndBenchmark.LoadAverage()}"));

        await RoundAsync(perMessage, messages / 4, concurrency).ConfigureAwait(false);
        await RoundAsync(pooled, messages / 4, concurrency).ConfigureAwait(false);
        Console.WriteLine("| round | connection per message: msgs/s, CPU per message | kept connections: msgs/s, CPU per message | CPU ratio (kept ÷ per message) |");
        Console.WriteLine("|---|---|---|---|");
        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var baseline = await RoundAsync(perMessage, messages, concurrency).ConfigureAwait(false);
            var kept = await RoundAsync(pooled, messages, concurrency).ConfigureAwait(false);
            ratios.Add(kept.CpuMsPerMessage / baseline.CpuMsPerMessage);
            Console.WriteLine(Invariant($"| {round} | {baseline} | {kept} | ×{ratios[^1]:F2} |"));
        }
        Console.WriteLine(Invariant($"CPU per message, kept ÷ per message: ×{ratios.Min():F2}–×{ratios.Max():F2}; messages received by the sink: {sink.Messages.Count}"));
        return 0;
    }

    private static async Task<RoundResult> RoundAsync(IOrderMailSender sender, int messages, int concurrency)
    {
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < messages)
            {
                await sender.SendAsync(Message(next), CancellationToken.None).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new RoundResult(messages / elapsed.TotalSeconds, cpu.TotalMilliseconds / messages);
    }

    private static MimeMessage Message(int number)
    {
        var message = new MimeMessage
        {
            Subject = Invariant($"Your FlashFundX account is ready (order {number})"),
            Body = new TextPart("plain") { Text = "Login 81234567 on FlashFundX-Live, phase 1. The password is in your dashboard." },
        };
        message.From.Add(MailboxAddress.Parse("orders@flashfundx.test"));
        message.To.Add(MailboxAddress.Parse("buyer@example.test"));
        return message;
    }

    private sealed record RoundResult(double MessagesPerSecond, double CpuMsPerMessage)
    {
        public override string ToString() => Invariant($"{MessagesPerSecond:F0} /s, {CpuMsPerMessage:F2} ms");
    }

    /// <summary>The baseline: connect, send, QUIT for every message.</summary>
    private sealed class ConnectionPerMessageSender(SmtpOptions smtp) : IOrderMailSender
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
            await client.ConnectAsync(smtp.Host!, smtp.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
