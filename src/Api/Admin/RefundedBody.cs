namespace FlashFundX.Api.Admin;

/// <summary>Body of <c>POST /admin/orders/{orderId}/refunded</c>: the refund an admin made outside the service.</summary>
public sealed record RefundedBody(string? Reference, string? Note);
