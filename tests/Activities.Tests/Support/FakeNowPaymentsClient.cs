using System.Collections.Concurrent;
using FlashFundX.NowPayments.Client;

namespace FlashFundX.Activities.Tests.Support;

/// <summary>Stands in for the payment provider's HTTP API (the database stays real).</summary>
internal sealed class FakeNowPaymentsClient : INowPaymentsClient
{
    private int _invoiceCount;

    public ConcurrentQueue<InvoiceRequest> InvoiceRequests { get; } = new();

    public Exception? Failure { get; set; }

    public PaymentStatusReport? Payment { get; set; }

    public Task<Invoice> CreateInvoiceAsync(InvoiceRequest request, CancellationToken cancellationToken = default)
    {
        InvoiceRequests.Enqueue(request);
        if (Failure is not null)
        {
            throw Failure;
        }
        var id = $"inv-{Interlocked.Increment(ref _invoiceCount)}";
        return Task.FromResult(new Invoice(
            id, $"https://pay.example.test/{id}", request.OrderId, request.OrderDescription, request.PriceAmount, request.PriceCurrency,
            request.PayCurrency, null, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
    }

    public Task<PaymentStatusReport> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default) =>
        Failure is not null ? throw Failure : Task.FromResult(Payment ?? throw new InvalidOperationException("No payment set up."));

    /// <summary>What the invoice listing answers; null means the account login is not configured.</summary>
    public IReadOnlyList<PaymentStatusReport>? InvoicePayments { get; set; }

    public bool CanListInvoicePayments => InvoicePayments is not null;

    public Task<IReadOnlyList<PaymentStatusReport>> ListInvoicePaymentsAsync(string invoiceId, CancellationToken cancellationToken = default) =>
        Failure is not null ? throw Failure : Task.FromResult(InvoicePayments ?? throw new InvalidOperationException("No invoice payments set up."));

    public Task CheckLoginAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
