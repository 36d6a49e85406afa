namespace FlashFundX.Api.Admin;

/// <summary>The validated filters of <c>GET /admin/orders</c>; null means "any". <see cref="To"/> is exclusive.</summary>
public sealed record AdminOrderFilter(
    string? Status, string? Stage, string? PaymentStatus, Guid? UserId, string? Email, DateTime? From, DateTime? To, string? Q);
