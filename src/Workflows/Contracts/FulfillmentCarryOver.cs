using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>State handed to the next run when a long payment or inventory wait continues as new, keeping history bounded.</summary>
public sealed record FulfillmentCarryOver(
    DateTime PaymentDeadline,
    string? InvoiceId,
    string? InvoiceUrl,
    PaymentState Payment,
    int PollCount,
    int InvoiceLookups,
    int ReservationAttempts,
    string? LastError);
