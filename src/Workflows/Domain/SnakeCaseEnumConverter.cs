using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>Serialises enum values as lower snake_case strings (<c>two_step</c>, <c>mt5</c>) in API bodies and Temporal payloads alike.</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
