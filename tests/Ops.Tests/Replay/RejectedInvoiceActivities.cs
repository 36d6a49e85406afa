using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Ops.Tests.Replay;

/// <summary>The shortest real order run: the provider rejects the invoice, the workflow records the failure and ends.</summary>
public static class RejectedInvoiceActivities
{
    [Activity("CreateInvoice")]
    public static Task<InvoiceCreated> CreateInvoiceAsync(OrderRef order) =>
        throw new ApplicationFailureException($"Provider rejected the invoice for {order.OrderId}", ActivityErrors.PaymentProviderRejected, nonRetryable: true);

    [Activity("SyncOrder")]
    public static Task SyncOrderAsync(OrderSync sync) => Task.CompletedTask;
}
