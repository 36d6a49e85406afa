using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// The delivery of a paid order: one local activity hands an account over in one transaction (rules, the oldest
/// matching account, the delivered row, the user's totals, completion); out of stock waits for a restock signal or
/// the re-check timer, as long as it takes.
/// </summary>
public sealed partial class OrderFulfillmentWorkflow
{
    private async Task DeliverAsync()
    {
        if (stage != OrderStage.WaitingInventory)
        {
            await SetStateAsync(OrderStage.Paid, OrderStatus.Paid, DeliveryStatus.Pending, $"Paid ({WireName.Of(payment.Status)}), preparing delivery");
        }
        var account = $"{OrderSummary.Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()} account";
        while (!await EndIfCancelledAfterPaymentAsync())
        {
            await SetStateAsync(OrderStage.Delivering, OrderStatus.Fulfilling, deliveryStatus, $"Delivering a {account}", write: false);
            reservationAttempts++;
            OrderDeliveryOutcome outcome;
            try
            {
                outcome = await Workflow.ExecuteLocalActivityAsync(
                    (IDeliveryActivities a) => a.DeliverOrderAsync(new OrderRef(input.OrderId)),
                    FulfillmentActivityOptions.Delivery.WithSummary(
                        $"Deliver a {account} with {WireName.Of(input.AccountType)} rules (attempt {reservationAttempts})"));
            }
            catch (Exception e) when (IsStepFailure(e) && ErrorType(e) == ActivityErrors.TradingRulesMissing)
            {
                lastError = Describe(e);
                await SetStateAsync(OrderStage.RefundRequired, OrderStatus.Failed, DeliveryStatus.RefundRequired, $"No trading rules: {lastError}");
                return;
            }
            if (outcome is { Delivered: true, AccountId: { } id, Phase: { } phase })
            {
                accountId = id;
                deliveredAccountId = outcome.DeliveredAccountId;
                await SetStateAsync(OrderStage.Completed, OrderStatus.Completed, DeliveryStatus.Delivered, $"Delivered account {id} in {WireName.Of(phase)}");
                return;
            }

            lastError = $"Out of stock: {account}";
            await SetStateAsync(OrderStage.WaitingInventory, OrderStatus.Fulfilling, DeliveryStatus.WaitingInventory,
                $"Out of stock for {account}: waiting for a restock (attempt {reservationAttempts})");
            await ContinueAsNewIfDueAsync();
            waitsThisRun++;
            await WaitForRestockAsync();
        }
    }

    /// <summary>
    /// Waits for a restock signal, a cancel or the re-check timer. Payment reports arriving meanwhile (e.g.
    /// <c>confirmed</c> → <c>finished</c>) are written as they come rather than at the next delivery attempt.
    /// </summary>
    private async Task WaitForRestockAsync()
    {
        var restocksSeen = restockSignals;
        var recheckAt = Workflow.UtcNow + input.Settings.InventoryRecheckInterval;
        while (true)
        {
            var remaining = recheckAt - Workflow.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            await Workflow.WaitConditionAsync(
                () => restockSignals != restocksSeen || cancelRequest is not null || unrecordedPayments.Count > 0,
                remaining);
            if (restockSignals != restocksSeen || cancelRequest is not null || unrecordedPayments.Count == 0)
            {
                return;
            }
            await SetStateAsync(stage, orderStatus, deliveryStatus, details);
        }
    }

    private async Task<bool> EndIfCancelledAfterPaymentAsync()
    {
        if (cancelRequest is not { } cancel)
        {
            return false;
        }
        await SetStateAsync(OrderStage.RefundRequired, OrderStatus.Cancelled, DeliveryStatus.RefundRequired,
            $"Cancelled after payment by {cancel.RequestedBy}: {cancel.Reason}; refund required");
        return true;
    }
}
