using System.Globalization;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>A named set of latency samples in milliseconds, sorted once, with nearest-rank percentiles.</summary>
public sealed class Samples
{
    private readonly double[] _sorted;

    public Samples(string name, IEnumerable<double> valuesMs)
    {
        Name = name;
        _sorted = valuesMs.Order().ToArray();
    }

    public string Name { get; }

    public int Count => _sorted.Length;

    public IReadOnlyList<double> Sorted => _sorted;

    /// <summary>Nearest-rank percentile, <paramref name="p"/> in [0, 1]; NaN without samples.</summary>
    public double P(double p) =>
        _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public string Describe() => Count == 0
        ? $"{Name}: no samples"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Name}: n={Count} p50 {P(0.50):F1} ms, p90 {P(0.90):F1} ms, p99 {P(0.99):F1} ms, max {Max:F1} ms");
}

internal static class Args
{
    public static int Int(string[] args, string name, int fallback) =>
        Str(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string? Str(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
