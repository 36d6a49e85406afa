using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// Fulfils one order (workflow id <c>order-{orderId}</c>): invoice → payment (IPN signals, polling, invoice lookup,
/// deadline; <c>OrderFulfillmentWorkflow.Payment.workflow.cs</c>) → delivery in one transaction, waiting for stock when
/// needed (<c>OrderFulfillmentWorkflow.Delivery.workflow.cs</c>) → the order e-mail. Anything paid but undeliverable
/// ends as <c>refund_required</c>; long waits continue as new to keep history bounded.
/// </summary>
[Workflow]
public sealed partial class OrderFulfillmentWorkflow
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
    private int pollCount;
    private int invoiceLookups;
    private int reservationAttempts;
    private int waitsThisRun;
    private int restockSignals;

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
        if (carry is { Restarted: true })
        {
            // Started again from the recorded state: the row may say anything (stopped at delivery, rolled back), so
            // nothing counts as written yet. A paid order goes through paid, which makes it deliverable again.
            (stage, orderStatus) = IsPaid ? (OrderStage.Paid, OrderStatus.Paid) : (OpenPaymentStage(), OrderStatus.AwaitingPayment);
        }
        else if (carry is not null)
        {
            // A paid order only continues as new while it waits for stock; an unpaid one while it waits for payment.
            (stage, orderStatus, deliveryStatus) = IsPaid
                ? (OrderStage.WaitingInventory, OrderStatus.Fulfilling, DeliveryStatus.WaitingInventory)
                : (OpenPaymentStage(), OrderStatus.AwaitingPayment, DeliveryStatus.Pending);
            lastWritten = new OrderStateChange(input.OrderId, stage, orderStatus, payment.Status, deliveryStatus) { PaymentDeadline = paymentDeadline };
        }
    }

    private bool IsPaid => payment.Outcome == PaymentOutcome.Paid;

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
        UpsertSearchAttributes();
        try
        {
            if (await EnsureInvoiceAsync() && await AwaitPaymentAsync())
            {
                await DeliverAsync();
            }
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
        await RecordLatePaymentsAsync();
        await AwaitOrderEmailAsync(email);
        // Reports signalled while the e-mail went out (NowPayments' finished often follows confirmed by seconds) reached
        // this run, so no one else records them.
        await RecordLatePaymentsAsync();
        return new FulfillmentResult(this.input.OrderId, stage, orderStatus, payment.Status, deliveryStatus, deliveredAccountId);
    }

    /// <summary>
    /// Payment reports from the provider's IPNs, in the order they were received (the API batches the reports stored
    /// while its previous signal to the order was in flight); duplicates and out-of-order reports change nothing.
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

    /// <summary>Stock was imported: an order waiting for inventory tries to deliver again now.</summary>
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
    /// Where the order is. <see cref="OrderProgress.Attempts"/> counts payment polls and invoice lookups until the
    /// order is paid, delivery attempts after.
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
            var invoice = await Workflow.ExecuteLocalActivityAsync(
                (IPaymentActivities a) => a.CreateInvoiceAsync(new OrderRef(input.OrderId)),
                FulfillmentActivityOptions.Invoice.WithSummary(summary));
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
        var carry = new FulfillmentCarryOver(paymentDeadline, invoiceId, invoiceUrl, payment, pollCount, invoiceLookups, reservationAttempts, lastError);
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

    /// <summary>
    /// Records payment reports that arrived after the order ended, once every signal handler has run; a failure here
    /// must not change the outcome.
    /// </summary>
    private async Task RecordLatePaymentsAsync()
    {
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        try
        {
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
    /// delivery.
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
        if (kind is not { } emailKind)
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
    /// Moves the order to a stage: search attributes, UI details and log at once, then the order row with the payment
    /// reports not yet recorded (<paramref name="write"/> false for stages the database does not know). Repeats write
    /// nothing but those reports.
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
        var change = new OrderStateChange(input.OrderId, stage, orderStatus, payment.Status, deliveryStatus, details) { PaymentDeadline = paymentDeadline };
        var unchanged = !write || (lastWritten is not null && lastWritten with { Note = details } == change);
        await SyncOrderAsync(unchanged ? null : change);
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
