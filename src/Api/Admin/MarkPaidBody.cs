namespace FlashFundX.Api.Admin;

/// <summary>Body of <c>POST /admin/orders/{orderId}/mark-paid</c>: a payment verified outside NowPayments' reports.</summary>
public sealed record MarkPaidBody(string? Reference, decimal? Amount, string? Currency, string? Note);
