using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>The order's overall status, as customers see it.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    Created,
    AwaitingPayment,
    Paid,
    Fulfilling,
    Completed,
    Cancelled,
    Expired,
    Failed,
}
