using System.Text.Json.Serialization;

namespace FlashFundX.Workflows.Domain;

/// <summary>Which e-mail an ended order gets: one of each kind at most.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<OrderEmailKind>))]
public enum OrderEmailKind
{
    Delivered,
    Expired,
    Cancelled,
}
