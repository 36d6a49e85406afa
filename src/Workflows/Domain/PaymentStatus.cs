using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>The payment's status: NowPayments' own statuses plus <c>amount_mismatch</c>.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    Pending,
    Waiting,
    Confirming,
    Confirmed,
    Sending,
    PartiallyPaid,
    Finished,
    Failed,
    Expired,
    Refunded,
    AmountMismatch,
}
