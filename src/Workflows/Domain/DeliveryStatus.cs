using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>Whether the account has been handed over.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DeliveryStatus>))]
public enum DeliveryStatus
{
    Pending,
    WaitingInventory,
    Delivered,
    RefundRequired,

    /// <summary>Never delivered; the money was sent back.</summary>
    Refunded,
}
