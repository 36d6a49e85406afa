using FlashFundX.NowPayments.Ipn;
using FlashFundX.Workflows.Contracts;

namespace FlashFundX.Api.Webhooks;

/// <summary>What an IPN tells the order's workflow: its non-secret payment fields.</summary>
public static class IpnUpdates
{
    public static PaymentUpdate From(IpnPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new PaymentUpdate(
            payload.PaymentId ?? throw new ArgumentException("An IPN without payment_id is not a payment report.", nameof(payload)),
            payload.PaymentStatus, payload.PriceAmount, payload.PriceCurrency,
            payload.ActuallyPaid, payload.PayCurrency, payload.ParentPaymentId, Source: "ipn");
    }
}
