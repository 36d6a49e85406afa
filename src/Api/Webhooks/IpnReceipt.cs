namespace FlashFundX.Api.Webhooks;

/// <summary>The 200 answer to an IPN: what was done with it (accepted, duplicate, late or orphaned).</summary>
public sealed record IpnReceipt(string Outcome);
