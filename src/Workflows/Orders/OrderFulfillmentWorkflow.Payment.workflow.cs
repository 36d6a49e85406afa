using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// The payment wait: IPN reports arrive as signals; a payment an IPN named is polled, doubling its interval; while no
/// IPN has named one, the invoice's payment list is looked up on a coarser schedule; at the deadline the provider is
/// asked once more before the order expires.
/// </summary>
public sealed partial class OrderFulfillmentWorkflow
{
    private DateTime? nextPollAt;
    private DateTime? nextLookupAt;
    private bool invoiceLookupAvailable = true;
    private bool finalPaymentCheckDone;
    private DateTime? lastPaymentCheckAt;

    /// <summary>Waits for the payment to settle; true when paid, false when the order ended unpaid.</summary>
    private async Task<bool> AwaitPaymentAsync()
    {
        try
        {
            return await WaitForPaymentAsync();
        }
        finally
        {
            paymentWaitOver = true;
        }
    }

    private async Task<bool> WaitForPaymentAsync()
    {
        while (true)
        {
            // Before anything else: an admin's accepted manual payment is answered, whatever else came meanwhile.
            if (await ApplyManualPaymentAsync())
            {
                return true;
            }
            switch (payment.Outcome)
            {
                case PaymentOutcome.Paid:
                    return true;
                case PaymentOutcome.AmountMismatch:
                    await SetStateAsync(OrderStage.RefundRequired, OrderStatus.Failed, DeliveryStatus.RefundRequired,
                        $"Paid amount does not match {OrderSummary.Price(input.PriceAmount, input.PriceCurrency)}: refund required, not delivered");
                    return false;
                case PaymentOutcome.Unpaid:
                    await EndUnpaidAsync();
                    return false;
            }
            if (cancelRequest is { } cancel)
            {
                await SetStateAsync(OrderStage.Cancelled, OrderStatus.Cancelled, MoneyReceived ? DeliveryStatus.RefundRequired : DeliveryStatus.Pending,
                    $"Cancelled by {cancel.RequestedBy}: {cancel.Reason}");
                return false;
            }
            var now = Workflow.UtcNow;
            if (now >= paymentDeadline)
            {
                if (await CheckPaymentOnceMoreAsync())
                {
                    continue;
                }
                await SetStateAsync(OrderStage.Expired, OrderStatus.Expired, MoneyReceived ? DeliveryStatus.RefundRequired : DeliveryStatus.Pending,
                    MoneyReceived ? "Payment deadline passed after a partial payment: refund required" : "Not paid before the payment deadline");
                return false;
            }
            await SetStateAsync(OpenPaymentStage(), OrderStatus.AwaitingPayment, DeliveryStatus.Pending, AwaitingPaymentDetails());
            // Only a poll this wait can make sets its wake-up: one the run can no longer make must not keep waking it.
            DateTime? pollDue = null;
            if (payment.PaymentId is not null)
            {
                nextPollAt ??= now + PollSchedule.IntervalAfter(pollCount, input.Settings.PollInitialInterval, input.Settings.PollMaxInterval);
                if (now >= nextPollAt)
                {
                    await PollPaymentAsync(payment.PaymentId);
                    continue;
                }
                pollDue = nextPollAt;
            }
            else if (invoiceId is not null && invoiceLookupAvailable)
            {
                // No IPN has named a payment yet: maybe none will (lost, or the webhook unreachable), so ask the
                // provider for the invoice's payments, on a coarser schedule than a known payment's polls: most
                // unpaid orders are abandoned checkouts, and the check at the deadline covers the last stretch.
                nextLookupAt ??= now + LookupInterval();
                if (now >= nextLookupAt)
                {
                    await PollInvoiceAsync(invoiceId);
                    continue;
                }
                pollDue = nextLookupAt;
            }
            await ContinueAsNewIfDueAsync();
            var wakeAt = pollDue is { } due && due < paymentDeadline ? due : paymentDeadline;
            var seen = payment;
            await Workflow.WaitConditionAsync(
                () => unrecordedPayments.Count > 0 || cancelRequest is not null || payment != seen || ManualPaymentPending, wakeAt - now);
        }
    }

    /// <summary>
    /// At the deadline, asks the provider once more before the order expires: a payment made since the last poll whose
    /// IPNs were lost would otherwise end as a plain expiry, with the customer's money unaccounted for. True when it
    /// asked (the caller then re-evaluates the payment).
    /// </summary>
    private async Task<bool> CheckPaymentOnceMoreAsync()
    {
        if (finalPaymentCheckDone || (payment.PaymentId is null && (invoiceId is null || !invoiceLookupAvailable)))
        {
            return false;
        }
        finalPaymentCheckDone = true;
        await (payment.PaymentId is { } paymentId ? PollPaymentAsync(paymentId) : PollInvoiceAsync(invoiceId!));
        return true;
    }

    /// <summary>
    /// Refuses a payment check the order cannot use now, before anything is written to the history: the order is not
    /// waiting for a payment, there is nothing to look up, or the previous check was too recent.
    /// </summary>
    [WorkflowUpdateValidator(nameof(CheckPaymentNowAsync))]
    public void ValidateCheckPaymentNow()
    {
        if (stage is not (OrderStage.AwaitingPayment or OrderStage.PartiallyPaid) || IsPaid || cancelRequest is not null)
        {
            throw new ApplicationFailureException(
                $"Order {input.OrderId} is {WireName.Of(stage)}, not waiting for a payment.", PaymentCheckRefusals.NotAwaitingPayment, nonRetryable: true);
        }
        if (payment.PaymentId is null && (invoiceId is null || !invoiceLookupAvailable))
        {
            throw new ApplicationFailureException(
                $"No payment of order {input.OrderId} is known and the provider's invoice lookup is not configured.", PaymentCheckRefusals.NothingToLookUp, nonRetryable: true);
        }
        if (lastPaymentCheckAt is { } last && Workflow.UtcNow - last < input.Settings.PaymentCheckInterval)
        {
            var wait = Math.Max(1, (int)Math.Ceiling((last + input.Settings.PaymentCheckInterval - Workflow.UtcNow).TotalSeconds));
            throw new ApplicationFailureException(
                $"The payment of order {input.OrderId} was checked less than {input.Settings.PaymentCheckInterval.TotalSeconds:0} s ago.",
                PaymentCheckRefusals.TooSoon, nonRetryable: true, details: [wait]);
        }
    }

    /// <summary>
    /// The owner asks for a provider lookup now (e.g. back from the payment page): the payment or, while none is
    /// known, the invoice's payments are looked up, and what they say is recorded before the update returns.
    /// </summary>
    [WorkflowUpdate]
    public async Task<OrderProgress> CheckPaymentNowAsync()
    {
        lastPaymentCheckAt = Workflow.UtcNow;
        await (payment.PaymentId is { } paymentId ? PollPaymentAsync(paymentId) : PollInvoiceAsync(invoiceId!));
        // Recorded here, so the caller reads the order with what the lookup found; the main loop, woken by the changed
        // payment, moves the order on. Not left to the main loop: it may be waiting for this handler to finish.
        await SyncOrderAsync(null);
        return GetStatus();
    }

    private TimeSpan LookupInterval() =>
        PollSchedule.IntervalAfter(invoiceLookups, input.Settings.InvoiceLookupInitialInterval, input.Settings.InvoiceLookupMaxInterval);

    private async Task PollPaymentAsync(string paymentId)
    {
        pollCount++;
        await PollAsync("Payment poll", pollCount, async () =>
        [
            await Workflow.ExecuteActivityAsync(
                (IPaymentActivities a) => a.CheckPaymentAsync(new CheckPaymentInput(input.OrderId, paymentId)),
                FulfillmentActivityOptions.PaymentCheck.WithSummary($"Poll payment {paymentId} (poll {pollCount})")),
        ]);
        nextPollAt = Workflow.UtcNow + PollSchedule.IntervalAfter(pollCount, input.Settings.PollInitialInterval, input.Settings.PollMaxInterval);
    }

    private async Task PollInvoiceAsync(string invoice)
    {
        invoiceLookups++;
        await PollAsync("Invoice lookup", invoiceLookups, async () =>
        {
            var found = await Workflow.ExecuteActivityAsync(
                (IPaymentActivities a) => a.FindInvoicePaymentsAsync(new FindInvoicePaymentsInput(input.OrderId, invoice)),
                FulfillmentActivityOptions.PaymentCheck.WithSummary($"Look up the payments of invoice {invoice} (lookup {invoiceLookups})"));
            if (!found.LookupAvailable)
            {
                // Not configured: this run stops asking (a run it continues as new asks again); IPNs still work.
                invoiceLookupAvailable = false;
            }
            return found.Payments;
        });
        nextLookupAt = Workflow.UtcNow + LookupInterval();
    }

    private async Task PollAsync(string what, int number, Func<Task<IReadOnlyList<PaymentUpdate>>> poll)
    {
        waitsThisRun++;
        try
        {
            foreach (var update in await poll())
            {
                ApplyPayment(update);
            }
        }
        catch (ActivityFailureException e)
        {
            // A failed poll is not a failed payment: the IPN or the next poll will tell.
            lastError = Describe(e);
            Workflow.Logger.LogWarning("{Check} {PollCount} for order {OrderId} failed: {Error}", what, number, input.OrderId, lastError);
        }
    }

    private Task EndUnpaidAsync() => payment.Status switch
    {
        PaymentStatus.Expired => SetStateAsync(OrderStage.Expired, OrderStatus.Expired, DeliveryStatus.Pending, "The provider expired the payment"),
        PaymentStatus.Refunded => SetStateAsync(OrderStage.Failed, OrderStatus.Failed, DeliveryStatus.Pending, "The provider refunded the payment"),
        _ => SetStateAsync(OrderStage.Failed, OrderStatus.Failed, DeliveryStatus.Pending, "The payment failed at the provider"),
    };

    private OrderStage OpenPaymentStage() =>
        payment.Status == PaymentStatus.PartiallyPaid ? OrderStage.PartiallyPaid : OrderStage.AwaitingPayment;

    private string AwaitingPaymentDetails()
    {
        var price = OrderSummary.Price(input.PriceAmount, input.PriceCurrency);
        var deadline = paymentDeadline.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return payment.Status == PaymentStatus.PartiallyPaid
            ? $"Partially paid ({payment.ActuallyPaid} {input.PayCurrency}) of {price}: waiting for the rest until {deadline} UTC"
            : $"Waiting for payment of {price} in {input.PayCurrency} until {deadline} UTC ({WireName.Of(payment.Status)})";
    }
}
