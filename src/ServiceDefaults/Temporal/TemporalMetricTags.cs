namespace FlashFundX.ServiceDefaults.Temporal;

/// <summary>
/// A tag set the Temporal runtime built once and passes back on every update (<c>ICustomMetricMeter.CreateTags</c>):
/// the parent's tags with the new ones added or replaced.
/// </summary>
/// <remarks>Immutable, so one instance serves every request for the same content (<see cref="TemporalMetricTagCache"/>).</remarks>
internal sealed class TemporalMetricTags
{
    private readonly KeyValuePair<string, object?>[] tags;

    private TemporalMetricTags(KeyValuePair<string, object?>[] tags) => this.tags = tags;

    public ReadOnlySpan<KeyValuePair<string, object?>> Span => tags;

    public static TemporalMetricTags Create(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> added)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (appendFrom is TemporalMetricTags parent)
        {
            foreach (var (key, value) in parent.tags)
            {
                merged[key] = value;
            }
        }
        foreach (var (key, value) in added)
        {
            merged[key] = value;
        }
        return new TemporalMetricTags([.. merged]);
    }
}
