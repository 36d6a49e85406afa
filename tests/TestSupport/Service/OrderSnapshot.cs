using System.Globalization;
using System.Text.Json;

namespace FlashFundX.TestSupport.Service;

/// <summary>An order as <c>GET /orders/{id}</c> (or the 201 of <c>POST /orders</c>) showed it; statuses are the wire names.</summary>
public sealed record OrderSnapshot(
    string OrderId,
    string OrderStatus,
    string PaymentStatus,
    string DeliveryStatus,
    string? Stage,
    decimal PriceAmount,
    string PriceCurrency,
    string? InvoiceId,
    string? InvoiceUrl,
    DateTime? PaidAt,
    DateTime? DeliveredAt,
    JsonElement Json)
{
    public static OrderSnapshot From(JsonElement json) => new(
        json.GetProperty("orderId").GetString()!,
        json.GetProperty("orderStatus").GetString()!,
        json.GetProperty("paymentStatus").GetString()!,
        json.GetProperty("deliveryStatus").GetString()!,
        Optional(json, "stage"),
        json.GetProperty("priceAmount").GetDecimal(),
        json.GetProperty("priceCurrency").GetString()!,
        Optional(json, "invoiceId"),
        Optional(json, "invoiceUrl"),
        OptionalDate(json, "paidAt"),
        OptionalDate(json, "deliveredAt"),
        json.Clone());

    /// <summary>completed, cancelled, expired or failed: the workflow has nothing left to do.</summary>
    public bool IsClosed => OrderStatus is "completed" or "cancelled" or "expired" or "failed";

    public override string ToString() =>
        $"{OrderId} order={OrderStatus} payment={PaymentStatus} delivery={DeliveryStatus} stage={Stage} invoice={InvoiceId ?? "-"}";

    private static string? Optional(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTime? OptionalDate(JsonElement json, string name) =>
        Optional(json, name) is { } text ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;
}

/// <summary>One trading account for <see cref="FulfillmentService.ImportInventoryAsync(IReadOnlyList{InventoryAccountSpec}, CancellationToken)"/>.</summary>
public sealed record InventoryAccountSpec(string Login, string Password, string InvestorPassword, string Server, string Platform, int AccountSize)
{
    /// <summary>Never prints the passwords.</summary>
    public override string ToString() => $"InventoryAccountSpec {{ Platform = {Platform}, Server = {Server}, Login = {Login}, AccountSize = {AccountSize} }}";
}

/// <summary>The 201 of <c>POST /admin/inventory</c>, with the accounts that were sent.</summary>
public sealed record InventoryImport(int Imported, int Skipped, int NotifiedOrders, IReadOnlyList<InventoryAccountSpec> Accounts);
