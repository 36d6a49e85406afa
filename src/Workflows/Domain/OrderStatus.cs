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

    /// <summary>Final: the money of an order that needed a refund was sent back (recorded by an admin).</summary>
    Refunded,
}
