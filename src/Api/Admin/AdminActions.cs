namespace FlashFundX.Api.Admin;

/// <summary>The action names written to admin_audit_log.</summary>
public static class AdminActions
{
    public const string InventoryViewed = "inventory.viewed";
    public const string InventoryImported = "inventory.imported";
    public const string InventoryAccountUpdated = "inventory.account_updated";
    public const string InventoryAccountDeleted = "inventory.account_deleted";
    public const string OrderCancelRequested = "order.cancel_requested";
    public const string OrderDeliveryRetried = "order.delivery_retried";
}
