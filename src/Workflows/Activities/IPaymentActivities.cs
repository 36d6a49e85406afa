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

    [Activity]
    Task RecordPaymentAsync(RecordPaymentInput input);
}
