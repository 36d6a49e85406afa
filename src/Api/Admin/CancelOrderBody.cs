namespace FlashFundX.Api.Admin;

/// <summary>Body of <c>POST /admin/orders/{orderId}/cancel</c>.</summary>
public sealed record CancelOrderBody(string? Reason);
