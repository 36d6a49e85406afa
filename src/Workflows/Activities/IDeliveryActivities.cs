using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

public interface IDeliveryActivities
{
    /// <summary>
    /// Hands an account to the paid order in one transaction: trading rules, the oldest matching available account, the
    /// delivered_accounts row, the user's totals and the completed order; a repeat answers the delivered account and
    /// writes nothing. Missing rules fail without retry; no stock answers <see cref="OrderDeliveryOutcome.OutOfStock"/>
    /// and writes nothing.
    /// </summary>
    [Activity]
    Task<OrderDeliveryOutcome> DeliverOrderAsync(OrderRef order);
}
