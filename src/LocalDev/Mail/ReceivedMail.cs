using System.Text;
using MimeKit;

namespace FlashFundX.LocalDev.Mail;

/// <summary>One message the sink accepted: as parsed, and byte for byte as it arrived (headers included).</summary>
public sealed record ReceivedMail(MimeMessage Message, byte[] Raw, DateTimeOffset ReceivedAt)
{
    /// <summary>The SMTP session (connection) it came on: messages sent over one kept connection share it.</summary>
    public Guid SessionId { get; init; }

    public string RawText => Encoding.UTF8.GetString(Raw);
}
