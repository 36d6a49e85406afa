using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Catalogue;

/// <summary>Whether an account of the product's size is in stock on a platform: a flag, never a count.</summary>
public sealed record ProductPlatformDto(TradingPlatform Platform, bool InStock);
