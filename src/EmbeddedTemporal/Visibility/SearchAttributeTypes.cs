using System.Text.Json;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.EmbeddedTemporal.Visibility;

internal static class SearchAttributeTypes
{
    public static IndexedValueType FromPayload(Payload payload)
    {
        if (payload.Metadata.TryGetValue("type", out var type))
        {
            return type.ToStringUtf8() switch
            {
                "Keyword" => IndexedValueType.Keyword,
                "Text" => IndexedValueType.Text,
                "Int" => IndexedValueType.Int,
                "Double" => IndexedValueType.Double,
                "Bool" => IndexedValueType.Bool,
                "Datetime" => IndexedValueType.Datetime,
                "KeywordList" => IndexedValueType.KeywordList,
                _ => IndexedValueType.Keyword,
            };
        }
        try
        {
            using var doc = JsonDocument.Parse(payload.Data.Memory);
            return doc.RootElement.ValueKind switch
            {
                JsonValueKind.Number => IndexedValueType.Int,
                JsonValueKind.True or JsonValueKind.False => IndexedValueType.Bool,
                JsonValueKind.Array => IndexedValueType.KeywordList,
                _ => IndexedValueType.Keyword,
            };
        }
        catch (JsonException)
        {
            return IndexedValueType.Keyword;
        }
    }
}
