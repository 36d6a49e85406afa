using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

public interface IDeliveryActivities
{
    /// <summary>Looks up the trading rules of the order's type and size; missing rules fail without retry.</summary>
    [Activity]
    Task<TradingRulesSummary> GetTradingRulesAsync(OrderRef order);

    /// <summary>Hands the reserved account over: one delivered_accounts row per order.</summary>
    [Activity]
    Task<DeliveryRecorded> RecordDeliveryAsync(DeliveryInput input);

    /// <summary>Completes the order and adds it to the user's totals, exactly once per order.</summary>
    [Activity]
    Task<OrderCompleted> CompleteOrderAsync(OrderRef order);

    /// <summary>
    /// Hands an account to the paid order in one transaction: trading rules, the oldest matching available account
    /// (or the one it already holds), the delivered_accounts row, the user's totals and the completed order. Missing
    /// rules fail without retry; no stock answers <see cref="OrderDeliveryOutcome.OutOfStock"/> and writes nothing.
    /// </summary>
    [Activity]
    Task<OrderDeliveryOutcome> DeliverOrderAsync(OrderRef order);
}
