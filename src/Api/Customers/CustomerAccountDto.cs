using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Customers;

/// <summary>An account delivered to the caller; its passwords stay behind <c>GET /orders/{orderId}/account</c>.</summary>
public sealed record CustomerAccountDto(
    string OrderId, string Login, string Server, TradingPlatform Platform, int AccountSize, AccountPhase Phase, DateTime DeliveredAt);
