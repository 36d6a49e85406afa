using Dapper;
using FlashFundX.Activities.Common;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Notifications;

/// <summary>
/// Order e-mails through the <c>email_outbox</c> row of (order, kind): the row is created or found and locked, the mail
/// is sent with the row's deterministic Message-Id, and the row is marked sent in the same transaction. A retry (or a
/// concurrent copy, which waits on the lock) finds it sent and sends nothing. The one gap: the server accepted the
/// message and the worker died before the commit; the retry sends it again with the same Message-Id.
/// </summary>
public sealed partial class NotificationActivities(
    NpgsqlDataSource dataSource,
    IOptions<SmtpOptions> options,
    IOrderMailSender sender,
    ILogger<NotificationActivities> logger) : INotificationActivities
{
    public const string Sent = "sent";
    public const string AlreadySent = "already_sent";
    public const string Skipped = "skipped";

    /// <summary>The e-mail cannot be sent (its reason is in <c>last_error</c>); no run sends it again.</summary>
    public const string Failed = "failed";

    /// <summary>The reason a failed row keeps; it names the rule, not the stored text (which may be anything).</summary>
    public const string InvalidRecipientReason = "invalid recipient: the user's e-mail is not one plain address";

    private const string ClaimSql = """
        INSERT INTO email_outbox (order_id, kind, message_id, status)
        SELECT o.order_id, @Kind, @MessageId, @Status FROM orders o WHERE o.order_id = @OrderId
        ON CONFLICT (order_id, kind) DO NOTHING
        """;

    private const string LockSql = """
        SELECT status, message_id FROM email_outbox WHERE order_id = @OrderId AND kind = @Kind FOR UPDATE
        """;

    // Only what the mail says; account_container (the encrypted passwords) is not read.
    private const string FactsSql = """
        SELECT o.order_id, u.email AS recipient, o.account_type, o.account_size, o.platform, o.price_amount, o.price_currency,
               o.order_status, o.delivery_status, d.login, d.server, d.current_phase,
               r.profit_target_phase_1 AS profit_target_phase1, r.profit_target_phase_2 AS profit_target_phase2,
               r.max_daily_drawdown, r.max_total_drawdown, r.min_trading_days, r.profit_split, r.leverage
          FROM orders o
          JOIN users u ON u.id = o.user_id
          LEFT JOIN delivered_accounts d ON d.order_id = o.order_id
          LEFT JOIN trading_rules r ON r.id = d.trading_rules_id
         WHERE o.order_id = @OrderId
        """;

    private const string AttemptSql = """
        UPDATE email_outbox SET attempts = attempts + 1, recipient = @Recipient, last_error = @Error
         WHERE order_id = @OrderId AND kind = @Kind
        """;

    private const string MarkFailedSql = """
        UPDATE email_outbox SET status = 'failed', last_error = @Error WHERE order_id = @OrderId AND kind = @Kind
        """;

    private const string MarkSentSql = """
        UPDATE email_outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE order_id = @OrderId AND kind = @Kind
        """;

    [Activity]
    public async Task<OrderEmailOutcome> SendOrderEmailAsync(OrderEmailRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = ActivityCancellation.Token;
        using var scope = OrderLogScope.Begin(logger, request.OrderId);
        var smtp = options.Value;
        var kind = WireName.Of(request.Kind);
        var key = new { request.OrderId, Kind = kind };
        var messageId = OrderEmailComposer.MessageId(request.OrderId, request.Kind, smtp.From);

        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            ClaimSql, new { request.OrderId, Kind = kind, MessageId = messageId, Status = smtp.Enabled ? "pending" : Skipped }, tx, cancellationToken: ct))
            .ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(new CommandDefinition(LockSql, key, tx, cancellationToken: ct))
            .ConfigureAwait(false) ?? throw ActivityFailures.OrderNotFound(request.OrderId);

        if (row.Status is Sent or Skipped or Failed)
        {
            await tx.CommitAsync(ct).ConfigureAwait(false);
            LogNothingToSend(logger, request.OrderId, kind, row.Status);
            return new OrderEmailOutcome(row.Status == Sent ? AlreadySent : row.Status, row.MessageId);
        }
        if (!smtp.Enabled)
        {
            // Pending from a time SMTP was on: leave it pending, so turning SMTP on again and resetting the activity sends it.
            await tx.CommitAsync(ct).ConfigureAwait(false);
            LogNothingToSend(logger, request.OrderId, kind, Skipped);
            return new OrderEmailOutcome(Skipped, row.MessageId);
        }

        var facts = await connection.QuerySingleAsync<OrderEmailFacts>(new CommandDefinition(FactsSql, new { request.OrderId }, tx, cancellationToken: ct))
            .ConfigureAwait(false);
        if (request.Kind == OrderEmailKind.Delivered && facts.Login is null)
        {
            throw ActivityFailures.InvalidOrderState(request.OrderId, "no delivered account to e-mail about.");
        }
        if (!EmailRecipient.IsValid(facts.Recipient))
        {
            // No attempt can make the address valid: recorded and returned, not thrown, so nothing retries it for a day.
            await connection.ExecuteAsync(new CommandDefinition(
                MarkFailedSql, new { request.OrderId, Kind = kind, Error = InvalidRecipientReason }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            LogInvalidRecipient(logger, request.OrderId, kind);
            return new OrderEmailOutcome(Failed, row.MessageId);
        }
        var message = Compose(facts, request.Kind, row.MessageId, smtp.From);
        try
        {
            await using var heartbeat = ActivityHeartbeat.Start();
            await sender.SendAsync(message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                AttemptSql, new { request.OrderId, Kind = kind, facts.Recipient, Error = Describe(e) }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            LogSendFailed(logger, request.OrderId, kind, Describe(e));
            if (e is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 })
            {
                throw new ApplicationFailureException(
                    $"The mail server refused the {kind} e-mail of order {request.OrderId}: {Describe(e)}",
                    e, ActivityErrors.EmailRejected, nonRetryable: true);
            }
            throw;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            AttemptSql, new { request.OrderId, Kind = kind, facts.Recipient, Error = (string?)null }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(MarkSentSql, key, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        LogSent(logger, request.OrderId, kind, row.MessageId);
        return new OrderEmailOutcome(Sent, row.MessageId);
    }

    private static MimeMessage Compose(OrderEmailFacts facts, OrderEmailKind kind, string messageId, string from)
    {
        try
        {
            return OrderEmailComposer.Compose(facts, kind, messageId, from);
        }
        catch (ParseException e)
        {
            throw new ApplicationFailureException(
                $"Order {facts.OrderId}: the recipient or sender address is not a valid e-mail address.", e, ActivityErrors.EmailRejected, nonRetryable: true);
        }
    }

    /// <summary>The failure as the outbox and the log keep it: type and server message only, never credentials.</summary>
    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException smtp => $"SMTP {(int)smtp.StatusCode}: {smtp.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private sealed class OutboxRow
    {
        public string Status { get; init; } = "";
        public string MessageId { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the {Kind} e-mail of order {OrderId} as {MessageId}")]
    private static partial void LogSent(ILogger logger, string orderId, string kind, string messageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Kind} e-mail of order {OrderId} is {Status}: nothing to send")]
    private static partial void LogNothingToSend(ILogger logger, string orderId, string kind, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} e-mail of order {OrderId} failed for good: the user's e-mail is not a valid address")]
    private static partial void LogInvalidRecipient(ILogger logger, string orderId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the {Kind} e-mail of order {OrderId} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string orderId, string kind, string error);
}
