using System.Text;
using MimeKit;

namespace FlashFundX.LocalDev.Mail;

/// <summary>One message the sink accepted: as parsed, and byte for byte as it arrived (headers included).</summary>
public sealed record ReceivedMail(MimeMessage Message, byte[] Raw, DateTimeOffset ReceivedAt)
{
    public string RawText => Encoding.UTF8.GetString(Raw);
}
