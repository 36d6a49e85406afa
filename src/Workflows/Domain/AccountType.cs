using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>The kind of prop-trading evaluation sold.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AccountType>))]
public enum AccountType
{
    Instant,
    OneStep,
    TwoStep,
    Hft,
}
