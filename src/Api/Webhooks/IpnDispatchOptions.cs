using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Webhooks;

/// <summary>Section <c>Webhooks</c>: how stored IPNs reach their workflows (<see cref="IpnDispatcher"/>).</summary>
public sealed class IpnDispatchOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>How often stored IPNs that were never dispatched (a process died, Temporal was down) are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An accepted IPN not dispatched this long after it was stored is sent again by a sweep; also the sweep's lease on
    /// the rows it takes. Longer than a dispatch takes under load, so the sweep rarely repeats a signal in flight
    /// (a repeat changes nothing: the workflow ignores reports it has seen).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time allowed for one signal to Temporal before the attempt counts as failed (the sweep retries it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SignalTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
