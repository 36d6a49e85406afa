using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Data.Webhooks;

/// <summary>Section <c>WebhookRetention</c>: how long webhook_events rows are kept (<see cref="WebhookEventRetention"/>).</summary>
public sealed class WebhookRetentionOptions
{
    public const string SectionName = "WebhookRetention";

    /// <summary>Rows of refused IPNs (invalid signature, malformed, too large).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Rejected { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows of valid IPNs once nothing is left to do with them (dispatched, duplicate, orphaned, late).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Processed { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the worker deletes what has expired.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
