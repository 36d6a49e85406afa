namespace FlashFundX.Api.Orders;

/// <summary>
/// Body of <c>POST /orders</c>. Enum-valued fields are read as strings so an unknown value is reported against its
/// field (<c>platform: "mt6"</c> → 400 naming <c>platform</c>) rather than as unreadable JSON.
/// </summary>
public sealed record CreateOrderRequest(string? AccountType, int? AccountSize, string? Platform, string? PayCurrency);
