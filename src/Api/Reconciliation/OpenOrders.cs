namespace FlashFundX.Api.Reconciliation;

/// <summary>
/// Orders that have not ended: a run should be driving them. The same rule as the <c>orders_open</c> index
/// (sql/0009_reconciler.sql), so the reconciler's listing uses it.
/// </summary>
public static class OpenOrders
{
    public const string Condition = """
        order_status IN ('created', 'awaiting_payment', 'paid', 'fulfilling')
        AND delivery_status <> 'refund_required' AND stage <> 'refund_required'
        """;

    private static readonly HashSet<string> OpenStatuses = new(StringComparer.Ordinal) { "created", "awaiting_payment", "paid", "fulfilling" };

    public static bool IsOpen(string orderStatus, string deliveryStatus, string stage) =>
        OpenStatuses.Contains(orderStatus) && deliveryStatus != "refund_required" && stage != "refund_required";
}
