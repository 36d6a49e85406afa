namespace FlashFundX.Api.Admin;

/// <summary>
/// The 202 answer of <c>POST /admin/orders/{orderId}/retry-delivery</c>: <see cref="Action"/> is <c>restock_signalled</c>
/// (the running workflow tries its delivery now) or <c>restarted</c> (a new run from the order's recorded state).
/// </summary>
public sealed record RetryDeliveryAccepted(string OrderId, string Action);
