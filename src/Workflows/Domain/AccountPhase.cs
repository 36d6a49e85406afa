using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>The evaluation phase a delivered account is in.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AccountPhase>))]
public enum AccountPhase
{
    Live,
    Challenge,
    [JsonStringEnumMemberName("phase_1")]
    Phase1,
    [JsonStringEnumMemberName("phase_2")]
    Phase2,
}
