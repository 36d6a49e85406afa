using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>
/// The activity interfaces over in-memory state, so the workflow's logic is tested on its own; the
/// PostgreSQL implementations have their own tests. Each test gets a fresh instance and its own task queue.
/// </summary>
public sealed class InMemoryFulfillmentActivities : IPaymentActivities, IOrderActivities, IRefundActivities, IDeliveryActivities, INotificationActivities
{
    private const long RulesId = 7;
    private readonly Lock gate = new();
    private readonly Queue<long> stock = new();
    private readonly List<OrderStateChange> stateChanges = [];
    private readonly List<RecordPaymentInput> payments = [];
    private readonly List<InMemoryDelivery> deliveries = [];
    private readonly List<string> completions = [];
    private readonly List<(ManualPaymentRequest Payment, OrderStateChange State)> manualPayments = [];
    private readonly List<RecordRefundInput> refunds = [];
    private readonly List<OrderEmailRequest> emails = [];
    private readonly List<int> stateChangesBeforeEmails = [];
    private int emailAttempts;
    private PaymentUpdate? providerPayment;
    private int invoiceLookups;
    private int invoiceCalls;
    private int pollCalls;
    private int deliveryCalls;

    /// <summary>When set, the provider refuses to create invoices (a permanent 4xx).</summary>
    public bool RejectInvoices { get; init; }

    /// <summary>When set, no trading rules exist for any order.</summary>
    public bool RulesMissing { get; init; }

    /// <summary>How many e-mail attempts fail as an SMTP outage would (retryable) before one succeeds.</summary>
    public int EmailOutageAttempts { get; init; }

    /// <summary>When set, the e-mail activity finishes only once this completes.</summary>
    public TaskCompletionSource? EmailGate { get; init; }

    /// <summary>Completes when the e-mail activity first runs.</summary>
    public TaskCompletionSource EmailStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many state writes had happened when each e-mail was sent, in order.</summary>
    public IReadOnlyList<int> StateChangesBeforeEmails { get { lock (gate) { return [.. stateChangesBeforeEmails]; } } }

    public int InvoiceCalls { get { lock (gate) { return invoiceCalls; } } }

    public int PollCalls { get { lock (gate) { return pollCalls; } } }

    public int DeliveryCalls { get { lock (gate) { return deliveryCalls; } } }

    public IReadOnlyList<OrderStateChange> StateChanges { get { lock (gate) { return [.. stateChanges]; } } }

    public IReadOnlyList<RecordPaymentInput> Payments { get { lock (gate) { return [.. payments]; } } }

    public IReadOnlyList<InMemoryDelivery> Deliveries { get { lock (gate) { return [.. deliveries]; } } }

    public IReadOnlyList<string> Completions { get { lock (gate) { return [.. completions]; } } }

    /// <summary>Each manual payment written, with the state written in the same sync.</summary>
    public IReadOnlyList<(ManualPaymentRequest Payment, OrderStateChange State)> ManualPayments { get { lock (gate) { return [.. manualPayments]; } } }

    public IReadOnlyList<RecordRefundInput> Refunds { get { lock (gate) { return [.. refunds]; } } }

    public IReadOnlyList<OrderEmailRequest> Emails { get { lock (gate) { return [.. emails]; } } }

    public void AddStock(params long[] accountIds)
    {
        lock (gate)
        {
            foreach (var id in accountIds)
            {
                stock.Enqueue(id);
            }
        }
    }

    /// <summary>What the provider's payment-status endpoint answers from now on.</summary>
    public void SetProviderPayment(PaymentUpdate update)
    {
        lock (gate)
        {
            providerPayment = update;
        }
    }

    [Activity]
    public Task<InvoiceCreated> CreateInvoiceAsync(OrderRef order)
    {
        lock (gate)
        {
            invoiceCalls++;
        }
        if (RejectInvoices)
        {
            throw new ApplicationFailureException("Provider rejected the invoice: unsupported pay_currency", ActivityErrors.PaymentProviderRejected, nonRetryable: true);
        }
        return Task.FromResult(new InvoiceCreated($"inv-{order.OrderId}", $"https://pay.example/invoice/{order.OrderId}"));
    }

    [Activity]
    public Task<PaymentUpdate> CheckPaymentAsync(CheckPaymentInput input)
    {
        lock (gate)
        {
            pollCalls++;
            var answer = providerPayment is { } p && p.PaymentId == input.PaymentId
                ? p with { Source = "poll" }
                : new PaymentUpdate(input.PaymentId, "waiting", null, null, Source: "poll");
            return Task.FromResult(answer);
        }
    }

    /// <summary>Whether the invoice listing is configured; it lists the payment set with <see cref="SetProviderPayment"/>, if any.</summary>
    public bool InvoiceLookupAvailable { get; set; } = true;

    public int InvoiceLookups { get { lock (gate) { return invoiceLookups; } } }

    [Activity]
    public Task<InvoicePayments> FindInvoicePaymentsAsync(FindInvoicePaymentsInput input)
    {
        lock (gate)
        {
            invoiceLookups++;
            IReadOnlyList<PaymentUpdate> listed = providerPayment is { } p ? [p with { Source = "poll" }] : [];
            return Task.FromResult(InvoiceLookupAvailable ? new InvoicePayments(true, listed) : new InvoicePayments(false, []));
        }
    }

    [Activity]
    public Task SyncOrderAsync(OrderSync sync)
    {
        lock (gate)
        {
            payments.AddRange(sync.Payments);
            if (sync.State is { } state)
            {
                stateChanges.Add(state);
                if (sync.ManualPayment is { } manual)
                {
                    manualPayments.Add((manual, state));
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>As the database does: refunds the last state written when it is refund_required; the same reference again writes nothing.</summary>
    [Activity]
    public Task<RefundRecorded> RecordRefundAsync(RecordRefundInput input)
    {
        lock (gate)
        {
            var last = stateChanges[^1];
            if (refunds.Find(r => r.OrderId == input.OrderId) is { } done)
            {
                return done.Refund.Reference == input.Refund.Reference
                    ? Task.FromResult(new RefundRecorded(true, OrderStage.Refunded, OrderStatus.Refunded, last.PaymentStatus, DeliveryStatus.Refunded))
                    : throw new ApplicationFailureException("refunded with another reference", AdminToolRefusals.OtherReference, nonRetryable: true);
            }
            if (last.Stage != OrderStage.RefundRequired && last.DeliveryStatus != DeliveryStatus.RefundRequired)
            {
                throw new ApplicationFailureException("not refund_required", AdminToolRefusals.NotRefundRequired, nonRetryable: true);
            }
            refunds.Add(input);
            return Task.FromResult(new RefundRecorded(false, OrderStage.Refunded, OrderStatus.Refunded, last.PaymentStatus, DeliveryStatus.Refunded));
        }
    }

    [Activity]
    public Task<OrderDeliveryOutcome> DeliverOrderAsync(OrderRef order)
    {
        if (RulesMissing)
        {
            throw new ApplicationFailureException($"No trading rules for order {order.OrderId}", ActivityErrors.TradingRulesMissing, nonRetryable: true);
        }
        lock (gate)
        {
            deliveryCalls++;
            var delivered = deliveries.Find(d => d.OrderId == order.OrderId);
            if (delivered is null)
            {
                if (!stock.TryDequeue(out var id))
                {
                    return Task.FromResult(OrderDeliveryOutcome.OutOfStock);
                }
                delivered = new InMemoryDelivery(order.OrderId, id);
                deliveries.Add(delivered);
                completions.Add(order.OrderId);
            }
            return Task.FromResult(new OrderDeliveryOutcome(true, delivered.AccountId, RulesId, DeliveredId(order.OrderId),
                InitialPhase.For(AccountType.TwoStep).Phase, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        }
    }

    [Activity]
    public async Task<OrderEmailOutcome> SendOrderEmailAsync(OrderEmailRequest request)
    {
        lock (gate)
        {
            if (++emailAttempts <= EmailOutageAttempts)
            {
                throw new InvalidOperationException("SMTP server unreachable");
            }
            emails.Add(request);
            stateChangesBeforeEmails.Add(stateChanges.Count);
        }
        EmailStarted.TrySetResult();
        if (EmailGate is { } emailGate)
        {
            await emailGate.Task;
        }
        return new OrderEmailOutcome("sent", $"{request.OrderId}.{WireName.Of(request.Kind)}@test");
    }

    /// <summary>A stable id per order, as the database's one-row-per-order constraint gives.</summary>
    public static Guid DeliveredId(string orderId) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(orderId))[..16]);
}

/// <summary>An account handed to an order.</summary>
public sealed record InMemoryDelivery(string OrderId, long AccountId);
