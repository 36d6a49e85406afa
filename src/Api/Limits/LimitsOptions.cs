using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Limits;

/// <summary>
/// Section <c>Limits</c>: how much one caller may ask of the service (docs/security.md#limits). Each order costs a
/// provider invoice and a workflow that polls the provider for a day; each stream holds a connection.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary><c>POST /orders</c> per user (token <c>sub</c>) in each <see cref="OrderCreationWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int OrderCreationsPerUser { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OrderCreationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Orders of one user that are created or awaiting payment (not paid, expired, cancelled or failed) at once.</summary>
    [Range(1, 100_000)]
    public int OpenUnpaidOrdersPerUser { get; set; } = 20;

    /// <summary>Requests to the NowPayments webhook per source address in each <see cref="WebhookWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int WebhookRequestsPerAddress { get; set; } = 200;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan WebhookWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Order event streams one user may hold open at once.</summary>
    [Range(1, 10_000)]
    public int StreamsPerUser { get; set; } = 5;

    /// <summary>Order event streams one API process serves at once, all users together.</summary>
    [Range(1, 1_000_000)]
    public int StreamsPerProcess { get; set; } = 1000;

    /// <summary>A stream is closed after this long; the client reconnects with <c>Last-Event-ID</c> and misses nothing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan StreamMaxDuration { get; set; } = TimeSpan.FromHours(1);
}
