namespace FlashFundX.Api.Customers;

/// <summary>The shape of a profile merge patch, for the OpenAPI document (the endpoint reads the JSON itself).</summary>
public sealed record CustomerProfilePatchExample(string? FirstName, string? LastName, string? Phone, string? Country, bool? MarketingConsent);
