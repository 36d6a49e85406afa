namespace FlashFundX.Api.Webhooks;

/// <summary>
/// The 200 answer to an IPN: accepted (stored; the order's workflow gets it next), duplicate, or orphaned (no such order).
/// A report for an order that has ended is answered accepted, and its row becomes late once it is recorded.
/// </summary>
public sealed record IpnReceipt(string Outcome);
