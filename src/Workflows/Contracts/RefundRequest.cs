namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// An admin sent a refund_required order's money back (<c>POST /admin/orders/{orderId}/refunded</c>); the
/// <paramref name="Reference"/> of the refund makes the request idempotent.
/// </summary>
public sealed record RefundRequest(string Reference, string? Note, Guid AdminUserId, string RecordedBy);
