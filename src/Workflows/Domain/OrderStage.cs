using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>Where the fulfillment workflow is; shown in the Temporal UI as the FfxStage search attribute.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<OrderStage>))]
public enum OrderStage
{
    Created,
    CreatingInvoice,
    AwaitingPayment,
    PartiallyPaid,
    Paid,
    WaitingInventory,
    Delivering,
    Completed,
    Expired,
    Cancelled,
    RefundRequired,
    Failed,

    /// <summary>Final: a refund_required order whose money an admin sent back.</summary>
    Refunded,
}
