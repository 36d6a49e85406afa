using FlashFundX.TestSupport;

namespace FlashFundX.Ops.Tests.Metrics;

/// <summary>Scrapes a /metrics page until it shows what a test expects (SDK metrics arrive from the Temporal core in batches).</summary>
public static class MetricsScraper
{
    public static Task<string> ScrapeUntilAsync(HttpClient client, Uri metrics, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Eventually.WaitAsync(
            () => client.GetStringAsync(metrics),
            text => expected.All(e => text.Contains(e, StringComparison.Ordinal)),
            what: $"{metrics} to show {string.Join(", ", expected)}",
            interval: TimeSpan.FromMilliseconds(250),
            describe: text => "missing " + string.Join(", ", expected.Where(e => !text.Contains(e, StringComparison.Ordinal))));
    }
}
