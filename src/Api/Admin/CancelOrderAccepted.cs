namespace FlashFundX.Api.Admin;

/// <summary>The 202 answer: the cancellation was handed to the order's workflow, which decides what it means.</summary>
public sealed record CancelOrderAccepted(string OrderId, string Reason);
