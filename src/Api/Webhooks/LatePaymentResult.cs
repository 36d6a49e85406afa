namespace FlashFundX.Api.Webhooks;

/// <summary>What <see cref="LatePaymentRecorder"/> did with a report for an order without a running workflow.</summary>
/// <param name="Closed">False when the order has not ended: nothing was recorded (no run drives it; ops must look).</param>
/// <param name="Changed">The order's payment status or delivery status moved.</param>
public sealed record LatePaymentResult(
    bool Closed, bool Changed, bool RefundRequired, string? OrderStatus, string? PreviousPaymentStatus, string? PaymentStatus)
{
    public static LatePaymentResult OrderOpen { get; } = new(false, false, false, null, null, null);

    /// <summary>The webhook_events detail: what the report did to the closed order.</summary>
    public string Detail => RefundRequired
        ? $"run closed; payment after the order was {OrderStatus}: refund_required"
        : Changed
            ? $"run closed; payment status {PreviousPaymentStatus} -> {PaymentStatus}"
            : $"run closed; payment status stays {PreviousPaymentStatus}";
}
