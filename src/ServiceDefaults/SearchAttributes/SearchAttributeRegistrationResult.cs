namespace FlashFundX.ServiceDefaults.SearchAttributes;

/// <summary>What <see cref="SearchAttributeRegistrar"/> found and did on a namespace.</summary>
/// <param name="Added">Attributes that were missing and have been registered.</param>
/// <param name="Present">Attributes already registered with the expected type.</param>
/// <param name="WrongType">Attributes registered with another type: not fixable automatically, an operator must decide.</param>
public sealed record SearchAttributeRegistrationResult(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Present,
    IReadOnlyList<string> WrongType);
