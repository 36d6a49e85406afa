namespace FlashFundX.Workflows.Domain;

/// <summary>What a provider report that arrived after the order's run ended changes (see <see cref="LatePayments"/>).</summary>
/// <param name="Next">The order's payment state with the report applied (the current one when nothing moves).</param>
/// <param name="RefundRequired">Money arrived for an order that ended without payment: it must be refunded.</param>
public sealed record LatePaymentEffect(PaymentState Next, bool RefundRequired);
