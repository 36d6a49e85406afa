namespace FlashFundX.Workflows.Contracts;

/// <summary>Timing and policy the workflow needs; passed in its input so workflow code stays deterministic and configurable.</summary>
public sealed record FulfillmentSettings
{
    /// <summary>How long an order may stay unpaid before it expires.</summary>
    public TimeSpan PaymentTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary>First interval of the payment-status poll once a payment id is known; it doubles up to <see cref="PollMaxInterval"/>.</summary>
    public TimeSpan PollInitialInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan PollMaxInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// First interval of the invoice's payment-list lookup while no IPN has named a payment; it doubles up to
    /// <see cref="InvoiceLookupMaxInterval"/>. Coarser than the payment poll: most such orders are abandoned checkouts.
    /// </summary>
    public TimeSpan InvoiceLookupInitialInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InvoiceLookupMaxInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How often an order waiting for inventory re-checks stock without a restock signal.</summary>
    public TimeSpan InventoryRecheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many payment polls or inventory re-checks one run makes before it continues as new, which keeps the
    /// history of a week-long wait bounded (the run also continues as new whenever the server suggests it).
    /// </summary>
    public int MaxWaitsPerRun { get; init; } = 200;

    /// <summary>How soon after one payment check an order's owner may ask for the next (<c>POST /orders/{orderId}/payment-check</c>).</summary>
    public TimeSpan PaymentCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Provider statuses that count as paid (when the amount also matches).</summary>
    public IReadOnlyList<string> PaidStatuses { get; init; } = ["confirmed", "sending", "finished"];
}
