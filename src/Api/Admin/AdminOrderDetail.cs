using FlashFundX.Api.Temporal;

namespace FlashFundX.Api.Admin;

/// <summary>
/// <c>GET /admin/orders/{orderId}</c>: the order and everything recorded about it, oldest first, and the run's own status.
/// Never a password, a signature or a secret header.
/// </summary>
public sealed record AdminOrderDetail(
    AdminOrder Order,
    AdminManualPayment? ManualPayment,
    AdminRefund? Refund,
    IReadOnlyList<AdminPaymentReport> PaymentReports,
    IReadOnlyList<AdminWebhookEvent> WebhookEvents,
    IReadOnlyList<AdminOrderEvent> OrderEvents,
    IReadOnlyList<AdminOrderEmail> Emails,
    AdminDeliveredAccount? DeliveredAccount,
    WorkflowStatusAnswer Workflow);

/// <summary>A payment an admin verified outside NowPayments' reports (mark-paid), and who.</summary>
public sealed record AdminManualPayment(string Reference, decimal Amount, string Currency, string? Note, Guid AdminUserId, string? AdminEmail, DateTime CreatedAt);

/// <summary>The refund an admin recorded, and who.</summary>
public sealed record AdminRefund(string Reference, string? Note, Guid AdminUserId, string? AdminEmail, DateTime CreatedAt);

/// <summary>A provider report as recorded in payment_transactions (IPN or poll).</summary>
public sealed record AdminPaymentReport(
    string PaymentId, string ProviderStatus, string EvaluatedStatus, decimal? PriceAmount, string? PriceCurrency,
    decimal? ActuallyPaid, string? PayCurrency, string? ParentPaymentId, string Source, DateTime CreatedAt);

/// <summary>
/// An IPN received for the order: its outcome and when. Of the body only the amounts of a correctly signed IPN are
/// shown; never the signature, nor the raw body (a sender's text).
/// </summary>
public sealed record AdminWebhookEvent(
    long Id, DateTime ReceivedAt, string Outcome, bool SignatureValid, string? PaymentId, string? PaymentStatus, int HttpStatus,
    string? Detail, DateTime? DispatchedAt, decimal? PriceAmount, string? PriceCurrency, decimal? ActuallyPaid, string? PayCurrency);

/// <summary>One change of the order's visible state (order_events).</summary>
public sealed record AdminOrderEvent(long Id, string Stage, string OrderStatus, string PaymentStatus, string DeliveryStatus, DateTime CreatedAt);

/// <summary>An order e-mail: its kind and status, never the recipient or the content.</summary>
public sealed record AdminOrderEmail(string Kind, string Status, int Attempts, DateTime? SentAt, DateTime CreatedAt);

/// <summary>The account delivered for the order: login and server, never a password.</summary>
public sealed record AdminDeliveredAccount(string Login, string Server, string Platform, int AccountSize, string CurrentPhase, DateTime DeliveredAt);
