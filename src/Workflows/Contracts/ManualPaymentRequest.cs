namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// A payment an admin verified outside NowPayments' reports (<c>POST /admin/orders/{orderId}/mark-paid</c>): the
/// <paramref name="Reference"/> (bank or chain transaction, ticket) makes it idempotent; amount and currency must be the
/// order's price. No secrets: what the admin typed, and who they are.
/// </summary>
public sealed record ManualPaymentRequest(string Reference, decimal Amount, string Currency, string? Note, Guid AdminUserId, string MarkedBy);
