using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;

namespace FlashFundX.Workflows.Orders;

/// <summary>How an order's run is started: one run per order id, readable in the Temporal UI from the first second.</summary>
public static class OrderFulfillmentStart
{
    public static WorkflowOptions Options(OrderFulfillmentInput input, string taskQueue)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new WorkflowOptions(OrderIds.WorkflowId(input.OrderId), taskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            StaticSummary = OrderSummary.For(input),
            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                .Set(OrderSearchAttributes.OrderId, input.OrderId)
                .Set(OrderSearchAttributes.Stage, WireName.Of(OrderStage.Created))
                .Set(OrderSearchAttributes.PaymentStatus, WireName.Of(PaymentStatus.Pending))
                .Set(OrderSearchAttributes.AccountType, WireName.Of(input.AccountType))
                .Set(OrderSearchAttributes.Platform, WireName.Of(input.Platform))
                .ToSearchAttributeCollection(),
        };
    }

    /// <summary>
    /// A run that only records an admin's refund (<see cref="OrderFulfillmentInput.Refund"/>), under the order's own
    /// workflow id: allowed only because the order's previous run has closed (id reuse), never beside an open one
    /// (id conflict: fail).
    /// </summary>
    public static WorkflowOptions RefundOptions(OrderFulfillmentInput input, string taskQueue)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new WorkflowOptions(OrderIds.WorkflowId(input.OrderId), taskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate,
            IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
            StaticSummary = $"Refund of {OrderSummary.For(input)}",
            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                .Set(OrderSearchAttributes.OrderId, input.OrderId)
                .Set(OrderSearchAttributes.Stage, WireName.Of(OrderStage.RefundRequired))
                .Set(OrderSearchAttributes.PaymentStatus, WireName.Of(PaymentStatus.Pending))
                .Set(OrderSearchAttributes.AccountType, WireName.Of(input.AccountType))
                .Set(OrderSearchAttributes.Platform, WireName.Of(input.Platform))
                .ToSearchAttributeCollection(),
        };
    }
}
