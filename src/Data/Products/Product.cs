using FlashFundX.Workflows.Domain;

namespace FlashFundX.Data.Products;

/// <summary>The current version of a product; <see cref="Version"/> is its trading_rules id, the one its orders point at.</summary>
public sealed record Product(long Version, AccountType AccountType, int AccountSize, ProductTerms Terms, DateTime UpdatedAt);
