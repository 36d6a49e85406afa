using FlashFundX.Workflows.Domain;

namespace FlashFundX.Data.Payments;

/// <summary>
/// What a run of payment reports leaves on the order row (see <see cref="PaymentRecording.OrderEffect"/>); null fields
/// keep the order's current value.
/// </summary>
public sealed record OrderPaymentEffect(PaymentStatus LastStatus, string? PaymentId, decimal? ActuallyPaid);
