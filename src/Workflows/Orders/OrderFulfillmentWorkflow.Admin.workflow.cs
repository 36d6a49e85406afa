using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// The admin's tools that go through the order's run: a payment verified outside NowPayments' reports (an update the
/// payment wait applies, so the run delivers as for any payment), and the refund of a refund_required order (an update
/// while the run is open; a short run of its own once the fulfillment run has closed).
/// </summary>
public sealed partial class OrderFulfillmentWorkflow
{
    /// <summary>Accepted by <see cref="MarkPaidAsync"/>, waiting for the payment wait to apply it.</summary>
    private ManualPaymentRequest? manualPaymentRequest;

    /// <summary>Applied: the order is paid by it.</summary>
    private ManualPaymentRequest? manualPayment;

    /// <summary>Written with the next order sync (the same transaction that marks the order paid).</summary>
    private ManualPaymentRequest? unrecordedManualPayment;

    /// <summary>Why the payment wait could not apply the accepted manual payment (the provider settled it meanwhile).</summary>
    private string? manualPaymentRefusal;

    private bool paymentWaitOver;
    private RefundRequest? refund;

    private bool ManualPaymentPending => manualPaymentRequest is not null && manualPayment is null;

    /// <summary>
    /// Refuses a manual payment before anything is written to the history: the order is not waiting for a payment,
    /// another reference was already accepted, or the amount or currency is not the order's price (compared exactly).
    /// The same reference again is accepted and answered with the order as it is.
    /// </summary>
    [WorkflowUpdateValidator(nameof(MarkPaidAsync))]
    public void ValidateMarkPaid(ManualPaymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((manualPayment ?? manualPaymentRequest) is { } known)
        {
            if (string.Equals(known.Reference, request.Reference, StringComparison.Ordinal))
            {
                return;
            }
            throw new ApplicationFailureException(
                $"Order {input.OrderId} was already marked paid with reference {known.Reference}.", AdminToolRefusals.OtherReference, nonRetryable: true);
        }
        if (stage is not (OrderStage.AwaitingPayment or OrderStage.PartiallyPaid) || payment.IsSettled || cancelRequest is not null || paymentWaitOver)
        {
            throw new ApplicationFailureException(
                $"Order {input.OrderId} is {WireName.Of(stage)}, not waiting for a payment.", AdminToolRefusals.NotAwaitingPayment, nonRetryable: true);
        }
        if (request.Amount != input.PriceAmount || !string.Equals(request.Currency, input.PriceCurrency, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApplicationFailureException(
                $"{request.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {request.Currency} is not the price of order {input.OrderId}, " +
                $"{input.PriceAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {input.PriceCurrency}.",
                AdminToolRefusals.PriceMismatch, nonRetryable: true);
        }
    }

    /// <summary>
    /// An admin verified the payment outside NowPayments' reports. The payment wait applies it (the manual payment and
    /// the paid order written in one transaction) and goes on to deliver; the update answers once the order is paid.
    /// </summary>
    [WorkflowUpdate]
    public async Task<OrderProgress> MarkPaidAsync(ManualPaymentRequest request)
    {
        manualPaymentRequest ??= request;
        await Workflow.WaitConditionAsync(() => manualPayment is not null || manualPaymentRefusal is not null || paymentWaitOver);
        if (manualPayment is null)
        {
            throw new ApplicationFailureException(
                manualPaymentRefusal ?? $"Order {input.OrderId} stopped waiting for a payment before the manual payment was applied.",
                AdminToolRefusals.NotAwaitingPayment, nonRetryable: true);
        }
        return GetStatus();
    }

    /// <summary>Applies an accepted manual payment; true when the order is now paid by it.</summary>
    private async Task<bool> ApplyManualPaymentAsync()
    {
        if (manualPaymentRequest is not { } request || manualPayment is not null)
        {
            return false;
        }
        if (payment.IsSettled)
        {
            manualPaymentRefusal = $"Order {input.OrderId}'s payment was settled by the provider ({WireName.Of(payment.Status)}) meanwhile.";
            manualPaymentRequest = null;
            return false;
        }
        // The provider's last reported status stays as it was: the manual payment row says who took the order as paid.
        payment = payment with { Outcome = PaymentOutcome.Paid };
        unrecordedManualPayment = request;
        await SetStateAsync(OrderStage.Paid, OrderStatus.Paid, DeliveryStatus.Pending,
            $"Marked paid by {request.MarkedBy} (reference {request.Reference})");
        manualPayment = request;
        return true;
    }

    /// <summary>Refuses a refund of an order that does not need one, or that was refunded with another reference.</summary>
    [WorkflowUpdateValidator(nameof(RecordRefundAsync))]
    public void ValidateRecordRefund(RefundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (refund is { } known)
        {
            if (string.Equals(known.Reference, request.Reference, StringComparison.Ordinal))
            {
                return;
            }
            throw new ApplicationFailureException(
                $"Order {input.OrderId} was already refunded with reference {known.Reference}.", AdminToolRefusals.OtherReference, nonRetryable: true);
        }
        if (stage != OrderStage.RefundRequired && deliveryStatus != DeliveryStatus.RefundRequired)
        {
            throw new ApplicationFailureException(
                $"Order {input.OrderId} is {WireName.Of(stage)} (delivery {WireName.Of(deliveryStatus)}), not refund_required.",
                AdminToolRefusals.NotRefundRequired, nonRetryable: true);
        }
    }

    /// <summary>An admin sent the money of a refund_required order back, while the order's run is still open.</summary>
    [WorkflowUpdate]
    public async Task<OrderProgress> RecordRefundAsync(RefundRequest request)
    {
        if (refund is null)
        {
            refund = request;
            try
            {
                await RecordRefundActivityAsync(request);
            }
            catch (Exception e) when (IsStepFailure(e))
            {
                refund = null;
                throw;
            }
        }
        return GetStatus();
    }

    /// <summary>A run started only to record a refund, once the order's fulfillment run has closed.</summary>
    private async Task<FulfillmentResult> RunRefundAsync(RefundRequest request)
    {
        refund = request;
        await RecordRefundActivityAsync(request);
        return new FulfillmentResult(input.OrderId, stage, orderStatus, payment.Status, deliveryStatus, deliveredAccountId);
    }

    private async Task RecordRefundActivityAsync(RefundRequest request)
    {
        var recorded = await Workflow.ExecuteLocalActivityAsync(
            (IRefundActivities a) => a.RecordRefundAsync(new RecordRefundInput(input.OrderId, request)),
            FulfillmentActivityOptions.StateSync.WithSummary($"Record the refund {request.Reference} by {request.RecordedBy}"));
        (stage, orderStatus, deliveryStatus) = (recorded.Stage, recorded.OrderStatus, recorded.DeliveryStatus);
        payment = payment with { Status = recorded.PaymentStatus };
        details = $"Refunded by {request.RecordedBy} (reference {request.Reference})";
        Workflow.CurrentDetails = details;
        // The activity wrote the order: a later sync of this run must not write it again.
        lastWritten = new OrderStateChange(input.OrderId, stage, orderStatus, payment.Status, deliveryStatus, details) { PaymentDeadline = paymentDeadline };
        UpsertSearchAttributes();
    }
}
