using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>The status of one evaluation phase.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PhaseStatus>))]
public enum PhaseStatus
{
    Pending,
    Active,
    Passed,
    Failed,
}
