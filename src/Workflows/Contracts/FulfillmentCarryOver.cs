using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// State handed to the next run when a long payment or inventory wait continues as new, keeping history bounded; also
/// the order's recorded state when its run is started again after Temporal lost it or it stopped
/// (<see cref="Restarted"/>: the database row may then say anything, so the new run writes its state first).
/// </summary>
public sealed record FulfillmentCarryOver(
    DateTime PaymentDeadline,
    string? InvoiceId,
    string? InvoiceUrl,
    PaymentState Payment,
    int PollCount,
    int InvoiceLookups,
    int ReservationAttempts,
    string? LastError,
    bool Restarted = false);
