using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Orders.Events;

/// <summary>Section <c>OrderEvents</c>: the live status stream.</summary>
public sealed class OrderEventsOptions
{
    public const string SectionName = "OrderEvents";

    /// <summary>A comment line on an idle stream this often, so proxies and clients keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the hub checks the streamed orders for events nobody announced (a writer that died between its
    /// commit and its announcement). Announced events reach streams at once; this only bounds the delay of lost ones.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>GET /orders/events</c> resuming after <c>Last-Event-ID</c> also resends the latest event of each of the caller's
    /// orders changed within this span before that event: event ids are taken at insert, so an event of another order
    /// with a smaller id can commit after it. Longer than the longest transaction that changes an order.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before listening again after the LISTEN connection broke (doubles up to 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
}
