using Google.Protobuf.WellKnownTypes;

namespace FlashFundX.EmbeddedTemporal.Runs;

internal static class ProtoTime
{
    /// <summary>A positive duration, or null for unset/zero (meaning "no limit").</summary>
    public static TimeSpan? Positive(Duration? duration) =>
        duration == null || duration.ToTimeSpan() <= TimeSpan.Zero ? null : duration.ToTimeSpan();

    public static Duration? ToDuration(TimeSpan? value) => value is { } v ? Duration.FromTimeSpan(v) : null;

    public static Timestamp ToTimestamp(DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
