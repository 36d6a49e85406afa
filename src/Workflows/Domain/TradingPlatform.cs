using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>The trading platform an account lives on.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<TradingPlatform>))]
public enum TradingPlatform
{
    Mt4,
    Mt5,
}
