using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// Fulfils one order (workflow id <c>order-{orderId}</c>): invoice → payment (IPN signals, polling fallback,
/// deadline) → trading rules → account reservation (waiting for stock when needed) → delivery → completion.
/// Anything paid but undeliverable ends as <c>refund_required</c>; long waits continue as new to keep history bounded.
/// </summary>
[Workflow]
public sealed class OrderFulfillmentWorkflow
{
    private readonly OrderFulfillmentInput input;
    private readonly Queue<RecordPaymentInput> unrecordedPayments = new();
    private readonly DateTime paymentDeadline;
    private string? invoiceId;
    private string? invoiceUrl;
    private PaymentState payment;
    private OrderStage stage;
    private OrderStatus orderStatus;
    private DeliveryStatus deliveryStatus = DeliveryStatus.Pending;
    private string details = "Order created";
    private OrderStateChange? lastWritten;
    private (OrderStage Stage, PaymentStatus Payment)? lastUpserted;
    private CancelOrderRequest? cancelRequest;
    private string? lastError;
    private long? accountId;
    private Guid? deliveredAccountId;
    private DateTime? nextPollAt;
    private int pollCount;
    private DateTime? nextLookupAt;
    private int invoiceLookups;
    private int reservationAttempts;
    private int waitsThisRun;
    private int restockSignals;
    private bool decidedAtStart;
    private bool oneTransactionSteps;
    private bool localDelivery;
    private bool? invoiceLookup;
    private bool invoiceLookupAvailable = true;
    private bool finalPaymentCheckDone;

    [WorkflowInit]
    public OrderFulfillmentWorkflow(OrderFulfillmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        this.input = input;
        var carry = input.CarryOver;
        paymentDeadline = carry?.PaymentDeadline ?? Workflow.UtcNow + input.Settings.PaymentTimeout;
        invoiceId = carry?.InvoiceId;
        invoiceUrl = carry?.InvoiceUrl;
        payment = carry?.Payment ?? PaymentState.Initial;
        pollCount = carry?.PollCount ?? 0;
        invoiceLookups = carry?.InvoiceLookups ?? 0;
        reservationAttempts = carry?.ReservationAttempts ?? 0;
        lastError = carry?.LastError;
        (stage, orderStatus) = (OrderStage.Created, OrderStatus.Created);
        if (carry is not null)
        {
            // A paid order only continues as new while it waits for stock; an unpaid one while it waits for payment.
            (stage, orderStatus, deliveryStatus) = IsPaid
                ? (OrderStage.WaitingInventory, OrderStatus.Fulfilling, DeliveryStatus.WaitingInventory)
                : (OpenPaymentStage(), OrderStatus.AwaitingPayment, DeliveryStatus.Pending);
            lastWritten = new OrderStateChange(input.OrderId, stage, orderStatus, payment.Status, deliveryStatus);
        }
    }

    private bool IsPaid => payment.Outcome == PaymentOutcome.Paid;

    /// <summary>A change made before <c>decided-at-start</c>: on for runs that have it, asked where it was always asked for the others.</summary>
    private bool PatchedEarlier(string patchId) => decidedAtStart || Workflow.Patched(patchId);

    /// <summary>Money reached the provider even though the order is not (fully) paid: ending the order needs a refund.</summary>
    private bool MoneyReceived =>
        payment.ActuallyPaid > 0 || payment.Status is PaymentStatus.PartiallyPaid or PaymentStatus.Confirming;

    [WorkflowRun]
    public async Task<FulfillmentResult> RunAsync(OrderFulfillmentInput input)
    {
        using var scope = Workflow.Logger.BeginScope(new Dictionary<string, object>
        {
            ["OrderId"] = this.input.OrderId,
            ["WorkflowId"] = Workflow.Info.WorkflowId,
            ["RunId"] = Workflow.Info.RunId,
        });
        // Runs started by this version or later take every earlier change without asking Workflow.Patched again, and
        // later changes are decided here too, before any local activity. Asked after one, a patch can be answered
        // differently on replay: answering a query meanwhile, the core SDK may record the activity's marker a task
        // before the run saw its result, so the replay asks a task early (PaymentBeforeFirstTaskTests).
        decidedAtStart = Workflow.Patched("decided-at-start");
        // Runs started before this change replay their per-step activities unpatched.
        oneTransactionSteps = PatchedEarlier("one-transaction-steps");
        // Likewise: runs started before DeliverOrder became a local activity keep delivering with an activity task.
        localDelivery = oneTransactionSteps && PatchedEarlier("local-delivery");
        UpsertSearchAttributes();
        try
        {
            await FulfilAsync();
        }
        catch (Exception e) when (IsStepFailure(e))
        {
            // Retries ran out (or a non-retryable error) at a step with no better answer: never drop a paid order.
            lastError = Describe(e);
            Workflow.Logger.LogError(e, "Order {OrderId} stopped at {Stage}", this.input.OrderId, stage);
            await TryEndAsync(
                IsPaid ? OrderStage.RefundRequired : OrderStage.Failed,
                OrderStatus.Failed,
                IsPaid || MoneyReceived ? DeliveryStatus.RefundRequired : deliveryStatus,
                $"Stopped at {WireName.Of(stage)}: {lastError}");
        }
        var email = StartOrderEmail();
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        await TryRecordPaymentsAsync();
        await AwaitOrderEmailAsync(email);
        if (email is not null && PatchedEarlier("record-payments-after-email"))
        {
            // Reports signalled while the e-mail went out (NowPayments' finished often follows confirmed by seconds)
            // reached this run, so no one else records them.
            await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
            await TryRecordPaymentsAsync();
        }
        return new FulfillmentResult(this.input.OrderId, stage, orderStatus, payment.Status, deliveryStatus, deliveredAccountId);
    }

    /// <summary>A payment report from the provider's IPN; duplicates and out-of-order reports change nothing.</summary>
    [WorkflowSignal]
    public Task PaymentStatusChangedAsync(PaymentUpdate update)
    {
        ApplyPayment(update);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Payment reports received together, applied in order as if each had come as its own
    /// <see cref="PaymentStatusChangedAsync"/>. Adding a handler changes no command, so running histories replay as
    /// they were; the API sends this signal only once workers that know it run (see docs/operations.md).
    /// </summary>
    [WorkflowSignal]
    public Task PaymentStatusesChangedAsync(PaymentUpdates updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates.Updates)
        {
            ApplyPayment(update);
        }
        return Task.CompletedTask;
    }

    /// <summary>Stock was imported: an order waiting for inventory tries to reserve again now.</summary>
    [WorkflowSignal]
    public Task InventoryRestockedAsync()
    {
        restockSignals++;
        return Task.CompletedTask;
    }

    /// <summary>Admin cancel: an unpaid order ends cancelled, a paid but undelivered one is flagged for refund.</summary>
    [WorkflowSignal]
    public Task CancelAsync(CancelOrderRequest request)
    {
        cancelRequest ??= request;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Where the order is. <see cref="OrderProgress.Attempts"/> counts payment polls until the order is paid,
    /// reservation attempts after.
    /// </summary>
    [WorkflowQuery]
    public OrderProgress GetStatus() => new(
        input.OrderId,
        stage,
        orderStatus,
        payment.Status,
        deliveryStatus,
        invoiceId,
        invoiceUrl,
        payment.PaymentId,
        IsPaid ? reservationAttempts : pollCount + invoiceLookups,
        lastError,
        accountId,
        paymentDeadline);

    private async Task FulfilAsync()
    {
        if (!await EnsureInvoiceAsync() || !await AwaitPaymentAsync())
        {
            return;
        }
        if (oneTransactionSteps)
        {
            await DeliverInOneTransactionAsync();
            return;
        }
        await DeliverAsync();
    }

    private async Task<bool> EnsureInvoiceAsync()
    {
        if (invoiceId is not null)
        {
            return true;
        }
        await SetStateAsync(OrderStage.CreatingInvoice, OrderStatus.Created, DeliveryStatus.Pending, "Creating the payment invoice", write: false);
        try
        {
            var summary = $"Create invoice {OrderSummary.Price(input.PriceAmount, input.PriceCurrency)} in {input.PayCurrency}";
            // Runs started before the invoice became a local activity replay with their activity task.
            var invoice = await PatchedLocalActivity.ExecuteAsync(
                PatchedEarlier("local-invoice"),
                (IPaymentActivities a) => a.CreateInvoiceAsync(new OrderRef(input.OrderId)),
                FulfillmentActivityOptions.LocalInvoice,
                FulfillmentActivityOptions.Invoice,
                summary);
            invoiceId = invoice.InvoiceId;
            invoiceUrl = invoice.InvoiceUrl;
            return true;
        }
        catch (Exception e) when (IsStepFailure(e))
        {
            lastError = Describe(e);
            await SetStateAsync(OrderStage.Failed, OrderStatus.Failed, DeliveryStatus.Pending, $"Invoice not created: {lastError}");
            return false;
        }
    }

    /// <summary>Waits for the payment to settle; true when paid, false when the order ended unpaid.</summary>
    private async Task<bool> AwaitPaymentAsync()
    {
        while (true)
        {
            await RecordPaymentsAsync();
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
            else if (invoiceId is not null && CanLookUpInvoice())
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
            await Workflow.WaitConditionAsync(() => unrecordedPayments.Count > 0 || cancelRequest is not null, wakeAt - now);
        }
    }

    /// <summary>
    /// At the deadline, asks the provider once more before the order expires: a payment made since the last poll whose
    /// IPNs were lost would otherwise end as a plain expiry, with the customer's money unaccounted for. True when it
    /// asked (the caller then re-evaluates the payment); patched, so runs that expired before this replay unchanged.
    /// </summary>
    private async Task<bool> CheckPaymentOnceMoreAsync()
    {
        if (finalPaymentCheckDone || (payment.PaymentId is null && (invoiceId is null || !CanLookUpInvoice()))
            || !PatchedEarlier("final-payment-check"))
        {
            return false;
        }
        finalPaymentCheckDone = true;
        await (payment.PaymentId is { } paymentId ? PollPaymentAsync(paymentId) : PollInvoiceAsync(invoiceId!));
        return true;
    }

    /// <summary>
    /// Whether the wait may list the invoice's payments: the provider login is configured (as far as this run knows) and
    /// the run is patched, so runs that waited before the lookup existed replay without it.
    /// </summary>
    private bool CanLookUpInvoice() => invoiceLookupAvailable && (invoiceLookup ??= PatchedEarlier("invoice-payment-lookup"));

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

    /// <summary>
    /// Hands an account over in one activity (rules, reservation, delivered row, totals, completion in one
    /// transaction), waiting for stock as long as it takes.
    /// </summary>
    private async Task DeliverInOneTransactionAsync()
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
                var summary = $"Deliver a {account} with {WireName.Of(input.AccountType)} rules (attempt {reservationAttempts})";
                outcome = await PatchedLocalActivity.ExecuteAsync(
                    localDelivery,
                    (IDeliveryActivities a) => a.DeliverOrderAsync(new OrderRef(input.OrderId)),
                    FulfillmentActivityOptions.LocalDelivery,
                    FulfillmentActivityOptions.OneTransactionDelivery,
                    summary);
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

    private async Task DeliverAsync()
    {
        if (stage != OrderStage.WaitingInventory)
        {
            await SetStateAsync(OrderStage.Paid, OrderStatus.Paid, DeliveryStatus.Pending, $"Paid ({WireName.Of(payment.Status)}), preparing delivery");
        }
        TradingRulesSummary rules;
        try
        {
            rules = await Workflow.ExecuteActivityAsync(
                (IDeliveryActivities a) => a.GetTradingRulesAsync(new OrderRef(input.OrderId)),
                FulfillmentActivityOptions.TradingRules.WithSummary($"Trading rules for {WireName.Of(input.AccountType)} {OrderSummary.Size(input.AccountSize)}"));
        }
        catch (ActivityFailureException e) when (ErrorType(e) == ActivityErrors.TradingRulesMissing)
        {
            lastError = Describe(e);
            await SetStateAsync(OrderStage.RefundRequired, OrderStatus.Failed, DeliveryStatus.RefundRequired, $"No trading rules: {lastError}");
            return;
        }

        var reserved = await ReserveAsync();
        if (reserved is null || await EndIfCancelledAfterPaymentAsync())
        {
            return;
        }

        await SetStateAsync(OrderStage.Delivering, OrderStatus.Fulfilling, DeliveryStatus.Pending, $"Delivering account {reserved}");
        var delivery = await Workflow.ExecuteActivityAsync(
            (IDeliveryActivities a) => a.RecordDeliveryAsync(new DeliveryInput(input.OrderId, reserved.Value, rules.RulesId)),
            FulfillmentActivityOptions.Delivery.WithSummary($"Deliver account {reserved} ({OrderSummary.Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()})"));
        deliveredAccountId = delivery.DeliveredAccountId;
        await Workflow.ExecuteActivityAsync(
            (IDeliveryActivities a) => a.CompleteOrderAsync(new OrderRef(input.OrderId)),
            FulfillmentActivityOptions.Completion.WithSummary("Complete order and update user totals"));
        await RecordPaymentsAsync();
        await SetStateAsync(OrderStage.Completed, OrderStatus.Completed, DeliveryStatus.Delivered,
            $"Delivered account {reserved} in {WireName.Of(delivery.Phase)}");
    }

    /// <summary>Reserves an account, waiting for stock as long as it takes; null when the order ended meanwhile.</summary>
    private async Task<long?> ReserveAsync()
    {
        while (true)
        {
            await RecordPaymentsAsync();
            if (await EndIfCancelledAfterPaymentAsync())
            {
                return null;
            }
            if (stage != OrderStage.WaitingInventory)
            {
                await SetStateAsync(OrderStage.Reserving, OrderStatus.Fulfilling, DeliveryStatus.Pending,
                    $"Reserving a {OrderSummary.Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()} account");
            }
            reservationAttempts++;
            var outcome = await Workflow.ExecuteActivityAsync(
                (IInventoryActivities a) => a.ReserveAccountAsync(new OrderRef(input.OrderId)),
                FulfillmentActivityOptions.Reservation.WithSummary($"Reserve {OrderSummary.Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()} account (attempt {reservationAttempts})"));
            if (outcome is { Reserved: true, AccountId: { } id })
            {
                accountId = id;
                return id;
            }

            lastError = $"Out of stock: {OrderSummary.Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()}";
            await SetStateAsync(OrderStage.WaitingInventory, OrderStatus.Fulfilling, DeliveryStatus.WaitingInventory,
                $"Out of stock for {OrderSummary.Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()}: waiting for a restock (attempt {reservationAttempts})");
            await ContinueAsNewIfDueAsync();
            waitsThisRun++;
            await WaitForRestockAsync();
        }
    }

    /// <summary>
    /// Waits for a restock signal, a cancel or the re-check timer. Payment reports arriving meanwhile (e.g.
    /// <c>confirmed</c> → <c>finished</c>) are written as they come rather than at the next reservation attempt.
    /// </summary>
    private async Task WaitForRestockAsync()
    {
        var restocksSeen = restockSignals;
        var recheckAt = Workflow.UtcNow + input.Settings.InventoryRecheckInterval;
        // Runs started before this change waited without recording; they replay unpatched.
        var recordWhileWaiting = PatchedEarlier("record-payments-while-waiting-for-stock");
        while (true)
        {
            var remaining = recheckAt - Workflow.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            await Workflow.WaitConditionAsync(
                () => restockSignals != restocksSeen || cancelRequest is not null || (recordWhileWaiting && unrecordedPayments.Count > 0),
                remaining);
            if (restockSignals != restocksSeen || cancelRequest is not null || !recordWhileWaiting || unrecordedPayments.Count == 0)
            {
                return;
            }
            await RecordPaymentsAsync();
            await SetStateAsync(stage, orderStatus, deliveryStatus, details);
        }
    }

    private async Task<bool> EndIfCancelledAfterPaymentAsync()
    {
        if (cancelRequest is not { } cancel)
        {
            return false;
        }
        var held = accountId is { } id ? $"; account {id} stays reserved for the order" : string.Empty;
        await SetStateAsync(OrderStage.RefundRequired, OrderStatus.Cancelled, DeliveryStatus.RefundRequired,
            $"Cancelled after payment by {cancel.RequestedBy}: {cancel.Reason}; refund required{held}");
        return true;
    }

    /// <summary>
    /// Continues as new, carrying the state over, after <see cref="FulfillmentSettings.MaxWaitsPerRun"/> waits or
    /// when the server suggests it. Only between steps: every handler finished and every payment change recorded.
    /// </summary>
    private async Task ContinueAsNewIfDueAsync()
    {
        if (waitsThisRun < input.Settings.MaxWaitsPerRun && !Workflow.ContinueAsNewSuggested)
        {
            return;
        }
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        if (unrecordedPayments.Count > 0 || cancelRequest is not null)
        {
            return;
        }
        if (Workflow.Logger.IsEnabled(LogLevel.Information))
        {
            Workflow.Logger.LogInformation("Order {OrderId} continues as new after {Waits} waits at {Stage}", input.OrderId, waitsThisRun, stage);
        }
        var carry = new FulfillmentCarryOver(paymentDeadline, invoiceId, invoiceUrl, payment, pollCount, reservationAttempts, lastError)
        {
            InvoiceLookups = invoiceLookups,
        };
        var next = input with { CarryOver = carry };
        throw Workflow.CreateContinueAsNewException((OrderFulfillmentWorkflow wf) => wf.RunAsync(next));
    }

    /// <summary>The single place payment reports (signal or poll) change the order's payment.</summary>
    private void ApplyPayment(PaymentUpdate? update)
    {
        if (update is null)
        {
            return;
        }
        var next = PaymentTransitions.Apply(payment, update, input.PriceAmount, input.PriceCurrency, input.Settings.PaidStatuses);
        if (next == payment)
        {
            return;
        }
        payment = next;
        unrecordedPayments.Enqueue(new RecordPaymentInput(input.OrderId, update, next.Status));
    }

    private async Task RecordPaymentsAsync()
    {
        if (oneTransactionSteps)
        {
            // Recorded together with the next state write, which every path reaches before it waits or ends.
            return;
        }
        while (unrecordedPayments.TryDequeue(out var record))
        {
            await Workflow.ExecuteActivityAsync(
                (IPaymentActivities a) => a.RecordPaymentAsync(record),
                FulfillmentActivityOptions.Recording.WithSummary($"Record payment {record.Update.PaymentId}: {record.Update.ProviderStatus} ({record.Update.Source})"));
        }
    }

    /// <summary>Records late payment reports after the order ended; a failure here must not change the outcome.</summary>
    private async Task TryRecordPaymentsAsync()
    {
        try
        {
            await RecordPaymentsAsync();
            await SetStateAsync(stage, orderStatus, deliveryStatus, details);
        }
        catch (Exception e) when (IsStepFailure(e))
        {
            Workflow.Logger.LogError(e, "Recording late payment reports of order {OrderId} failed", input.OrderId);
        }
    }

    private async Task TryEndAsync(OrderStage endStage, OrderStatus status, DeliveryStatus delivery, string endDetails)
    {
        try
        {
            await SetStateAsync(endStage, status, delivery, endDetails);
        }
        catch (Exception e) when (IsStepFailure(e))
        {
            Workflow.Logger.LogError(e, "Writing the final state of order {OrderId} failed", input.OrderId);
        }
    }

    /// <summary>
    /// Starts the e-mail telling how the order ended (delivered, expired, cancelled) without awaiting it: the order's
    /// final state is already written, so an SMTP outage retried for hours delays only the workflow's close, never the
    /// delivery. Patched, so runs that reached this point before the e-mail existed replay without it.
    /// </summary>
    private Task<OrderEmailOutcome>? StartOrderEmail()
    {
        OrderEmailKind? kind = (stage, orderStatus) switch
        {
            (OrderStage.Completed, _) => OrderEmailKind.Delivered,
            (_, OrderStatus.Expired) => OrderEmailKind.Expired,
            (_, OrderStatus.Cancelled) => OrderEmailKind.Cancelled,
            _ => null,
        };
        if (kind is not { } emailKind || !PatchedEarlier("send-order-email"))
        {
            return null;
        }
        return Workflow.ExecuteActivityAsync(
            (INotificationActivities a) => a.SendOrderEmailAsync(new OrderEmailRequest(input.OrderId, emailKind)),
            FulfillmentActivityOptions.Notification.WithSummary($"E-mail the customer: order {WireName.Of(emailKind)}"));
    }

    /// <summary>Waits for the order e-mail before the workflow closes; a failure is only logged, the order's outcome stands.</summary>
    private async Task AwaitOrderEmailAsync(Task<OrderEmailOutcome>? email)
    {
        if (email is null)
        {
            return;
        }
        try
        {
            await email;
        }
        catch (ActivityFailureException e)
        {
            Workflow.Logger.LogError(e, "The e-mail of order {OrderId} was not sent", input.OrderId);
        }
    }

    /// <summary>
    /// Moves the order to a stage: search attributes, UI details and log at once, then the order row
    /// (<paramref name="write"/> false for stages the database does not know). Repeats write nothing.
    /// </summary>
    private async Task SetStateAsync(OrderStage newStage, OrderStatus status, DeliveryStatus delivery, string newDetails, bool write = true)
    {
        var stageChanged = newStage != stage;
        stage = newStage;
        orderStatus = status;
        deliveryStatus = delivery;
        details = newDetails;
        Workflow.CurrentDetails = details;
        UpsertSearchAttributes();
        if (stageChanged && Workflow.Logger.IsEnabled(LogLevel.Information))
        {
            Workflow.Logger.LogInformation("Order {OrderId} is {Stage}: {Details}", input.OrderId, newStage, details);
        }
        var change = new OrderStateChange(input.OrderId, stage, orderStatus, payment.Status, deliveryStatus, details);
        var unchanged = !write || (lastWritten is not null && lastWritten with { Note = details } == change);
        if (oneTransactionSteps)
        {
            await SyncOrderAsync(unchanged ? null : change);
            return;
        }
        if (unchanged)
        {
            return;
        }
        lastWritten = change;
        await Workflow.ExecuteActivityAsync(
            (IOrderActivities a) => a.UpdateOrderStateAsync(change),
            FulfillmentActivityOptions.Recording.WithSummary($"Order {WireName.Of(stage)}: {WireName.Of(orderStatus)} / {WireName.Of(payment.Status)} / {WireName.Of(deliveryStatus)}"));
    }

    /// <summary>
    /// Writes the queued payment reports and the new state (if any) in one transaction, as a local activity: a short
    /// database write needs no task of its own on the server.
    /// </summary>
    private async Task SyncOrderAsync(OrderStateChange? change)
    {
        if (change is null && unrecordedPayments.Count == 0)
        {
            return;
        }
        var payments = unrecordedPayments.ToArray();
        unrecordedPayments.Clear();
        if (change is not null)
        {
            lastWritten = change;
        }
        var summary = change is null
            ? $"Record {payments.Length} payment report(s)"
            : $"Order {WireName.Of(change.Stage)}: {WireName.Of(change.OrderStatus)} / {WireName.Of(change.PaymentStatus)} / {WireName.Of(change.DeliveryStatus)}"
              + (payments.Length > 0 ? $", {payments.Length} payment report(s)" : string.Empty);
        await Workflow.ExecuteLocalActivityAsync(
            (IOrderActivities a) => a.SyncOrderAsync(new OrderSync(input.OrderId, payments, change)),
            FulfillmentActivityOptions.StateSync.WithSummary(summary));
    }

    /// <summary>Upserts the search attributes when the stage or payment status changed (each upsert is a history event).</summary>
    private void UpsertSearchAttributes()
    {
        if (lastUpserted == (stage, payment.Status))
        {
            return;
        }
        lastUpserted = (stage, payment.Status);
        Workflow.UpsertTypedSearchAttributes(
            OrderSearchAttributes.OrderId.ValueSet(input.OrderId),
            OrderSearchAttributes.Stage.ValueSet(WireName.Of(stage)),
            OrderSearchAttributes.PaymentStatus.ValueSet(WireName.Of(payment.Status)),
            OrderSearchAttributes.AccountType.ValueSet(WireName.Of(input.AccountType)),
            OrderSearchAttributes.Platform.ValueSet(WireName.Of(input.Platform)));
    }

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

    /// <summary>
    /// A step that failed for good: an activity's failure, or a local activity's, which reaches the workflow as its
    /// cause itself (the application failure or timeout), not wrapped in an <see cref="ActivityFailureException"/>.
    /// </summary>
    private static bool IsStepFailure(Exception e) => e is ActivityFailureException or ApplicationFailureException or TimeoutFailureException;

    private static string? ErrorType(Exception e) => (e as ApplicationFailureException ?? e.InnerException as ApplicationFailureException)?.ErrorType;

    private static string Describe(Exception e) => e is ActivityFailureException
        ? e.InnerException is { } inner ? $"{ErrorType(e) ?? inner.GetType().Name}: {inner.Message}" : e.Message
        : $"{ErrorType(e) ?? e.GetType().Name}: {e.Message}";
}
