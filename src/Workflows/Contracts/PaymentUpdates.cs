namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// Several payment reports for one order in the order they were received: the IPNs the webhook stored while the
/// previous signal to the order was in flight, sent as one signal instead of one each.
/// </summary>
public sealed record PaymentUpdates(IReadOnlyList<PaymentUpdate> Updates);
