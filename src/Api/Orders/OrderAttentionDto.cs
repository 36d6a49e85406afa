namespace FlashFundX.Api.Orders;

/// <summary>
/// Why an operator must look at an order, and since when: e.g. <c>run_terminated</c>, its workflow was terminated while
/// the order was open (docs/operations.md, "Reconciler").
/// </summary>
public sealed record OrderAttentionDto(string Reason, DateTime Since);
