namespace FlashFundX.Api.Customers;

/// <summary>What a customer may tell about themselves; every field optional.</summary>
public sealed record CustomerProfileDto(string? FirstName, string? LastName, string? Phone, string? Country, bool MarketingConsent);
