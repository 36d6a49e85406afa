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

    /// <summary><c>GET {BaseUrl}/status</c>, for readiness checks.</summary>
    Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
