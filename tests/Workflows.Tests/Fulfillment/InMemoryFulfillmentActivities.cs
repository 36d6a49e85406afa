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
public sealed class InMemoryFulfillmentActivities : IPaymentActivities, IOrderActivities, IInventoryActivities, IDeliveryActivities, INotificationActivities
{
    private readonly Lock gate = new();
    private readonly Queue<long> stock = new();
    private readonly Dictionary<string, long> reservations = [];
    private readonly List<OrderStateChange> stateChanges = [];
    private readonly List<RecordPaymentInput> payments = [];
    private readonly List<DeliveryInput> deliveries = [];
    private readonly List<string> completions = [];
    private readonly List<OrderEmailRequest> emails = [];
    private readonly List<int> stateChangesBeforeEmails = [];
    private int emailAttempts;
    private PaymentUpdate? providerPayment;
    private int invoiceLookups;
    private int invoiceCalls;
    private int pollCalls;
    private int reserveCalls;

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

    public int ReserveCalls { get { lock (gate) { return reserveCalls; } } }

    public IReadOnlyList<OrderStateChange> StateChanges { get { lock (gate) { return [.. stateChanges]; } } }

    public IReadOnlyList<RecordPaymentInput> Payments { get { lock (gate) { return [.. payments]; } } }

    public IReadOnlyList<DeliveryInput> Deliveries { get { lock (gate) { return [.. deliveries]; } } }

    public IReadOnlyList<string> Completions { get { lock (gate) { return [.. completions]; } } }

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
    public Task RecordPaymentAsync(RecordPaymentInput input)
    {
        lock (gate)
        {
            payments.Add(input);
        }
        return Task.CompletedTask;
    }

    [Activity]
    public Task UpdateOrderStateAsync(OrderStateChange change)
    {
        lock (gate)
        {
            stateChanges.Add(change);
        }
        return Task.CompletedTask;
    }

    [Activity]
    public Task<ReservationOutcome> ReserveAccountAsync(OrderRef order)
    {
        lock (gate)
        {
            reserveCalls++;
            if (reservations.TryGetValue(order.OrderId, out var held))
            {
                return Task.FromResult(new ReservationOutcome(true, held));
            }
            if (!stock.TryDequeue(out var id))
            {
                return Task.FromResult(ReservationOutcome.OutOfStock);
            }
            reservations[order.OrderId] = id;
            return Task.FromResult(new ReservationOutcome(true, id));
        }
    }

    [Activity]
    public Task<TradingRulesSummary> GetTradingRulesAsync(OrderRef order)
    {
        if (RulesMissing)
        {
            throw new ApplicationFailureException($"No trading rules for order {order.OrderId}", ActivityErrors.TradingRulesMissing, nonRetryable: true);
        }
        return Task.FromResult(new TradingRulesSummary(7, AccountType.TwoStep, 10_000, 99m));
    }

    [Activity]
    public Task<DeliveryRecorded> RecordDeliveryAsync(DeliveryInput input)
    {
        lock (gate)
        {
            if (!reservations.TryGetValue(input.OrderId, out var held) || held != input.AccountId)
            {
                throw new ApplicationFailureException("No such reservation", ActivityErrors.ReservationMissing, nonRetryable: true);
            }
            deliveries.Add(input);
        }
        return Task.FromResult(new DeliveryRecorded(DeliveredId(input.OrderId), InitialPhase.For(AccountType.TwoStep).Phase));
    }

    [Activity]
    public Task<OrderCompleted> CompleteOrderAsync(OrderRef order)
    {
        lock (gate)
        {
            var first = !completions.Contains(order.OrderId);
            completions.Add(order.OrderId);
            return Task.FromResult(new OrderCompleted(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), first));
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
            }
        }
        return Task.CompletedTask;
    }

    [Activity]
    public async Task<OrderDeliveryOutcome> DeliverOrderAsync(OrderRef order)
    {
        var rules = await GetTradingRulesAsync(order);
        var reservation = await ReserveAccountAsync(order);
        if (reservation.AccountId is not long accountId)
        {
            return OrderDeliveryOutcome.OutOfStock;
        }
        lock (gate)
        {
            if (!deliveries.Exists(d => d.OrderId == order.OrderId))
            {
                deliveries.Add(new DeliveryInput(order.OrderId, accountId, rules.RulesId));
                completions.Add(order.OrderId);
            }
        }
        return new OrderDeliveryOutcome(true, accountId, rules.RulesId, DeliveredId(order.OrderId), InitialPhase.For(AccountType.TwoStep).Phase,
            new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
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
