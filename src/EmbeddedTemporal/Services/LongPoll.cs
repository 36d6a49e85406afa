using Grpc.Core;

namespace FlashFundX.EmbeddedTemporal.Services;

internal static class LongPoll
{
    /// <summary>How long a long poll may wait: up to <paramref name="max"/>, answering safely before the call deadline.</summary>
    public static TimeSpan Budget(ServerCallContext context, TimeSpan max)
    {
        if (context.Deadline == DateTime.MaxValue)
        {
            return max;
        }
        var remaining = context.Deadline - DateTime.UtcNow - TimeSpan.FromSeconds(2);
        if (remaining < TimeSpan.FromMilliseconds(100))
        {
            remaining = TimeSpan.FromMilliseconds(100);
        }
        return remaining < max ? remaining : max;
    }
}
