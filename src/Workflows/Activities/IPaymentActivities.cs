using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

/// <summary>Talks to the payment provider and records what it says.</summary>
public interface IPaymentActivities
{
    /// <summary>Creates the provider invoice once per order (an existing one is returned) and stores it on the order.</summary>
    [Activity]
    Task<InvoiceCreated> CreateInvoiceAsync(OrderRef order);

    /// <summary>Asks the provider for the payment's current status.</summary>
    [Activity]
    Task<PaymentUpdate> CheckPaymentAsync(CheckPaymentInput input);

    /// <summary>Lists the invoice's payments at the provider: how an order learns of a payment none of whose IPNs arrived.</summary>
    [Activity]
    Task<InvoicePayments> FindInvoicePaymentsAsync(FindInvoicePaymentsInput input);
}
