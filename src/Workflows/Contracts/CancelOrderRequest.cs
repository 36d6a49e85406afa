namespace FlashFundX.Workflows.Contracts;

public sealed record CancelOrderRequest(string Reason, string RequestedBy);
