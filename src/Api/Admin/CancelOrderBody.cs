namespace FlashFundX.Api.Admin;

/// <summary>Body of <c>POST /admin/orders/{orderId}/cancel</c>.</summary>
public sealed record CancelOrderBody(string? Reason);

/// <summary>The 202 answer: the cancellation was handed to the order's workflow, which decides what it means.</summary>
public sealed record CancelOrderAccepted(string OrderId, string Reason);
