using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Webhooks;

/// <summary>Section <c>Webhooks</c>: how many refused IPNs a process records (<see cref="RejectedIpnBudget"/>).</summary>
public sealed class RejectedIpnOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// webhook_events rows a process writes per minute for IPNs that are refused (too large, malformed, invalid
    /// signature) or duplicates. Past it they are answered as usual and counted in <c>ffx_webhooks_unrecorded_total</c>,
    /// but not stored: anyone can send them, and the table must not grow with whatever an anonymous sender can afford.
    /// </summary>
    [Range(0, 1_000_000)]
    public int RejectedRowsPerMinute { get; set; } = 1000;
}
