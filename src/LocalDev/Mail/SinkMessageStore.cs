using System.Buffers;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FlashFundX.LocalDev.Mail;

/// <summary>Hands every message the SMTP server accepts to the sink.</summary>
internal sealed class SinkMessageStore(Func<Guid, byte[], CancellationToken, Task> accept) : MessageStore
{
    public override async Task<SmtpResponse> SaveAsync(
        ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        await accept(context.SessionId, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
        return SmtpResponse.Ok;
    }
}
