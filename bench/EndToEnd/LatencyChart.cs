using System.Globalization;
using ScottPlot;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// Latency percentile curves (ScottPlot): x is the percentile on a "nines" scale (50, 90, 99, 99.9 evenly spaced),
/// y the latency on a log scale, with the goals as dashed lines.
/// </summary>
public static class LatencyChart
{
    private static readonly double[] Percentiles = BuildPercentiles();
    private static readonly double[] Mantissas = [1.0, 2.0, 5.0];

    public static void Save(string path, string title, IReadOnlyList<Samples> series, IReadOnlyList<(string Label, double Ms)> goals)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(goals);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var samples in series.Where(s => s.Count > 0))
        {
            var xs = Percentiles.Select(Nines).ToArray();
            var ys = Percentiles.Select(p => Math.Log10(Math.Max(0.01, samples.P(p)))).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{samples.Name} (p50 {samples.P(0.5):F1} / p99 {samples.P(0.99):F1} ms)");
            line.LineWidth = 2;
            line.Color = palette.GetColor(index++);
        }
        Color[] goalColors = [Colors.Red, Colors.DarkMagenta];
        var goalIndex = 0;
        foreach (var (label, ms) in goals)
        {
            var goal = plot.Add.HorizontalLine(Math.Log10(ms));
            goal.LinePattern = LinePattern.Dashed;
            goal.LineWidth = 1.5f;
            goal.Color = goalColors[goalIndex++ % goalColors.Length].WithAlpha(0.7);
            goal.LegendText = label;
        }

        var tickPercentiles = new[] { 0.0, 0.5, 0.9, 0.99, 0.999 };
        plot.Axes.Bottom.SetTicks(
            tickPercentiles.Select(Nines).ToArray(),
            tickPercentiles.Select(p => string.Create(CultureInfo.InvariantCulture, $"p{p * 100:0.#}")).ToArray());
        var decades = Enumerable.Range(-1, 6).ToArray(); // 0.1 ms .. 10 s
        var yTicks = decades.SelectMany(d => Mantissas.Select(m => m * Math.Pow(10, d))).ToArray();
        plot.Axes.Left.SetTicks(yTicks.Select(Math.Log10).ToArray(), yTicks.Select(FormatMs).ToArray());
        plot.Axes.SetLimitsX(0, Nines(0.999) + 0.05);
        var all = series.Where(s => s.Count > 0).SelectMany(s => new[] { s.P(0), s.Max }).Concat(goals.Select(g => g.Ms)).ToArray();
        plot.Axes.SetLimitsY(Math.Log10(Math.Max(0.1, all.Min() * 0.7)), Math.Log10(all.Max() * 1.5));
        plot.Title(title);
        plot.XLabel("percentile");
        plot.YLabel("latency (log scale)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 1500, 700);
    }

    /// <summary>-log10(1 - p): p50 → 0.3, p90 → 1, p99 → 2, p99.9 → 3.</summary>
    private static double Nines(double p) => -Math.Log10(1 - Math.Min(p, 0.9999));

    private static double[] BuildPercentiles()
    {
        var list = new List<double>();
        for (var x = 0.0; x <= 3.0001; x += 0.02)
        {
            list.Add(1 - Math.Pow(10, -x));
        }
        list.Add(1.0);
        return [.. list];
    }

    private static string FormatMs(double ms) => ms >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms");
}
