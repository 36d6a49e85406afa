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
            TypedSearchAttributes = SearchAttributes(input, OrderStage.Created, PaymentStatus.Pending),
        };
    }

    /// <summary>
    /// A run started again from the order's recorded state (<see cref="FulfillmentCarryOver.Restarted"/>). Never beside
    /// an open run (conflict policy Fail); after a closed one only when <paramref name="replaceClosedRun"/> (an admin's
    /// retry), else only where Temporal has no run of the id at all.
    /// </summary>
    public static WorkflowOptions RestartOptions(OrderFulfillmentInput input, string taskQueue, bool replaceClosedRun)
    {
        ArgumentNullException.ThrowIfNull(input);
        var payment = input.CarryOver?.Payment ?? PaymentState.Initial;
        var stage = payment.Outcome == PaymentOutcome.Paid ? OrderStage.Paid
            : payment.Status == PaymentStatus.PartiallyPaid ? OrderStage.PartiallyPaid : OrderStage.AwaitingPayment;
        return new WorkflowOptions(OrderIds.WorkflowId(input.OrderId), taskQueue)
        {
            IdReusePolicy = replaceClosedRun ? WorkflowIdReusePolicy.AllowDuplicate : WorkflowIdReusePolicy.RejectDuplicate,
            IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
            StaticSummary = OrderSummary.For(input),
            TypedSearchAttributes = SearchAttributes(input, stage, payment.Status),
        };
    }

    private static SearchAttributeCollection SearchAttributes(OrderFulfillmentInput input, OrderStage stage, PaymentStatus payment) =>
        new SearchAttributeCollection.Builder()
            .Set(OrderSearchAttributes.OrderId, input.OrderId)
            .Set(OrderSearchAttributes.Stage, WireName.Of(stage))
            .Set(OrderSearchAttributes.PaymentStatus, WireName.Of(payment))
            .Set(OrderSearchAttributes.AccountType, WireName.Of(input.AccountType))
            .Set(OrderSearchAttributes.Platform, WireName.Of(input.Platform))
            .ToSearchAttributeCollection();
}
