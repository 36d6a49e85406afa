namespace FlashFundX.Ops.Tests.Metrics;

/// <summary>Scrapes a /metrics page until it shows what a test expects (SDK metrics arrive from the Temporal core in batches).</summary>
public static class MetricsScraper
{
    public static async Task<string> ScrapeUntilAsync(HttpClient client, Uri metrics, params string[] expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var text = await client.GetStringAsync(metrics);
            if (expected.All(e => text.Contains(e, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return text;
            }
            await Task.Delay(250);
        }
    }
}
