using System.Globalization;
using System.Text;
using FlashFundX.Workflows.Domain;
using MimeKit;

namespace FlashFundX.Activities.Notifications;

/// <summary>Builds the plain-text order e-mails. Passwords are never part of them: the mail points to the account endpoint.</summary>
public static class OrderEmailComposer
{
    /// <summary>
    /// <c>{orderId}.{kind}@{sender's domain}</c>: the same for every attempt at the same e-mail, so a receiver can
    /// drop the one repeat the outbox cannot rule out (a crash between the server's accept and marking the row sent).
    /// </summary>
    public static string MessageId(string orderId, OrderEmailKind kind, string from)
    {
        var domain = MailboxAddress.TryParse(from, out var sender) && sender.Domain.Length > 0 ? sender.Domain : "flashfundx.local";
        return $"{orderId}.{WireName.Of(kind)}@{domain}";
    }

    public static MimeMessage Compose(OrderEmailFacts facts, OrderEmailKind kind, string messageId, string from)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var message = new MimeMessage { MessageId = messageId, Subject = Subject(facts, kind) };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(facts.Recipient));
        message.Headers.Add("X-FlashFundX-Order", facts.OrderId);
        message.Body = new TextPart("plain") { Text = Body(facts, kind) };
        return message;
    }

    private static string Subject(OrderEmailFacts facts, OrderEmailKind kind) => kind switch
    {
        OrderEmailKind.Delivered => $"Your FlashFundX account is ready (order {facts.OrderId})",
        OrderEmailKind.Expired => $"Your FlashFundX order {facts.OrderId} has expired",
        OrderEmailKind.Cancelled => $"Your FlashFundX order {facts.OrderId} was cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Body(OrderEmailFacts facts, OrderEmailKind kind)
    {
        var text = new StringBuilder().AppendLine("Hello,").AppendLine();
        var product = $"{Label(facts.AccountType)} {Money(facts.AccountSize)} {facts.Platform.ToUpperInvariant()}";
        switch (kind)
        {
            case OrderEmailKind.Delivered:
                text.AppendLine(Invariant($"your order {facts.OrderId} ({product}) has been delivered."))
                    .AppendLine()
                    .AppendLine("Your trading account")
                    .AppendLine(Invariant($"  Login:           {facts.Login}"))
                    .AppendLine(Invariant($"  Server:          {facts.Server}"))
                    .AppendLine(Invariant($"  Platform:        {facts.Platform.ToUpperInvariant()}"))
                    .AppendLine(Invariant($"  Account size:    {Money(facts.AccountSize)}"))
                    .AppendLine(Invariant($"  Starting phase:  {Label(facts.CurrentPhase ?? "")}"))
                    .AppendLine()
                    .AppendLine(Invariant($"Trading rules ({Label(facts.AccountType)})"));
                AppendRules(text, facts);
                text.AppendLine()
                    .AppendLine("For your security this e-mail does not contain the account's passwords.")
                    .AppendLine(Invariant($"Sign in to FlashFundX and open order {facts.OrderId} to see them."));
                break;
            case OrderEmailKind.Expired:
                text.AppendLine(Invariant($"your order {facts.OrderId} ({product}) expired before its payment was completed."));
                AppendRefundNote(text, facts);
                text.AppendLine("You are welcome to place a new order at any time.");
                break;
            case OrderEmailKind.Cancelled:
                text.AppendLine(Invariant($"your order {facts.OrderId} ({product}) has been cancelled."));
                AppendRefundNote(text, facts);
                break;
        }
        return text.AppendLine().AppendLine("FlashFundX").ToString();
    }

    private static void AppendRules(StringBuilder text, OrderEmailFacts facts)
    {
        if (facts.ProfitTargetPhase1 is { } target1)
        {
            text.AppendLine(Invariant($"  Profit target phase 1:  {target1:0.##} %"));
        }
        if (facts.ProfitTargetPhase2 is { } target2)
        {
            text.AppendLine(Invariant($"  Profit target phase 2:  {target2:0.##} %"));
        }
        text.AppendLine(Invariant($"  Max daily drawdown:     {facts.MaxDailyDrawdown:0.##} %"))
            .AppendLine(Invariant($"  Max total drawdown:     {facts.MaxTotalDrawdown:0.##} %"))
            .AppendLine(Invariant($"  Min trading days:       {facts.MinTradingDays}"))
            .AppendLine(Invariant($"  Profit split:           {facts.ProfitSplit:0.##} %"))
            .AppendLine(Invariant($"  Leverage:               {facts.Leverage}"));
    }

    private static void AppendRefundNote(StringBuilder text, OrderEmailFacts facts)
    {
        if (facts.DeliveryStatus == WireName.Of(DeliveryStatus.RefundRequired))
        {
            text.AppendLine("We received a payment for it, which will be refunded; our team will be in touch.");
        }
        else
        {
            text.AppendLine("No payment was taken.");
        }
    }

    private static string Label(string wireName) => wireName.Replace('_', ' ');

    private static string Money(int accountSize) => accountSize.ToString("#,0", CultureInfo.InvariantCulture) + " USD";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
