using MimeKit;

namespace FlashFundX.Activities.Notifications;

/// <summary>Hands a message to the mail server; throws when it was not accepted.</summary>
public interface IOrderMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
