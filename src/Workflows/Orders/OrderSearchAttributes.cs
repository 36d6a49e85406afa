using Temporalio.Common;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// The custom search attributes an order's run carries, so ops can find runs in the Temporal UI
/// (<c>FfxStage = "waiting_inventory"</c>). Defined once here; <see cref="All"/> is what a namespace registers.
/// </summary>
public static class OrderSearchAttributes
{
    public static readonly SearchAttributeKey<string> OrderId = SearchAttributeKey.CreateKeyword("FfxOrderId");

    public static readonly SearchAttributeKey<string> Stage = SearchAttributeKey.CreateKeyword("FfxStage");

    public static readonly SearchAttributeKey<string> PaymentStatus = SearchAttributeKey.CreateKeyword("FfxPaymentStatus");

    public static readonly SearchAttributeKey<string> AccountType = SearchAttributeKey.CreateKeyword("FfxAccountType");

    public static readonly SearchAttributeKey<string> Platform = SearchAttributeKey.CreateKeyword("FfxPlatform");

    public static IReadOnlyList<SearchAttributeKey> All { get; } = [OrderId, Stage, PaymentStatus, AccountType, Platform];
}
