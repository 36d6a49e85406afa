using FlashFundX.Workflows.Contracts;

namespace FlashFundX.Api.Admin;

/// <summary>
/// The workflow input of a new run for an order whose run has closed, rebuilt from the order's row. Minimal: the refund
/// run needs only the order's identity and price (the reconciler's restart builds the full carried-over state).
/// </summary>
public static class ClosedOrderRunInput
{
    public static OrderFulfillmentInput For(AdminOrder order, FulfillmentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderFulfillmentInput(
            order.OrderId, order.UserId, order.AccountType, order.AccountSize, order.Platform,
            order.PriceAmount, order.PriceCurrency, order.PayCurrency, settings);
    }
}
