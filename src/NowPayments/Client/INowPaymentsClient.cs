namespace FlashFundX.NowPayments.Client;

/// <summary>
/// NowPayments REST calls. Every failure is a <see cref="NowPaymentsException"/> (check <see cref="NowPaymentsException.IsRetryable"/>),
/// except cancellation through the caller's token, which stays an <see cref="OperationCanceledException"/>.
/// There is no retry inside: the caller (a Temporal activity) owns retries.
/// </summary>
public interface INowPaymentsClient
{
    /// <summary><c>POST {BaseUrl}/invoice</c>.</summary>
    Task<Invoice> CreateInvoiceAsync(InvoiceRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>GET {BaseUrl}/payment/{paymentId}</c>.</summary>
    Task<PaymentStatusReport> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default);

    /// <summary>Whether <see cref="ListInvoicePaymentsAsync"/> can be called: the account login is configured.</summary>
    bool CanListInvoicePayments { get; }

    /// <summary>
    /// <c>GET {BaseUrl}/payment/?invoiceId=…</c>, every page, oldest first: how an order learns of a payment none of whose
    /// IPNs arrived. Needs <see cref="NowPaymentsOptions.HasAccountLogin"/>: it logs in with <c>POST {BaseUrl}/auth</c>
    /// and reuses the token while it is valid.
    /// </summary>
    Task<IReadOnlyList<PaymentStatusReport>> ListInvoicePaymentsAsync(string invoiceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure the account login works (<c>POST {BaseUrl}/auth</c>, unless a token is cached), for readiness checks;
    /// does nothing when <see cref="CanListInvoicePayments"/> is false.
    /// </summary>
    Task CheckLoginAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET {BaseUrl}/status</c>, for readiness checks.</summary>
    Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
