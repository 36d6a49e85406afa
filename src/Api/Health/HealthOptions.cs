using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Health;

/// <summary>Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// How long <c>/health/ready</c> reuses NowPayments' status (its <c>/status</c> and login calls): anyone may call
    /// the endpoint, so callers must not be able to spend the merchant's provider quota. Zero asks the provider every time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ProviderStatusCacheFor { get; set; } = TimeSpan.FromSeconds(30);
}
