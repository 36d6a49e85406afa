using System.Globalization;
using System.Text.Json;
using FlashFundX.EmbeddedTemporal.Runs;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.EmbeddedTemporal.Visibility;

/// <summary>
/// Whether a search-attribute value decodes as its registered type, by the rules of the server's validator
/// (<c>sadefs.DecodeValue</c>): a JSON value of the type or, as the default visibility allow-list permits, a list of
/// them; a KeywordList only a list of strings (or a list holding one such list); null and an empty list remove the
/// attribute. The payload's own type metadata plays no part, only the registered type.
/// </summary>
internal static class SearchAttributeValue
{
    /// <summary>Null when <paramref name="payload"/> fits <paramref name="type"/>, else the value as the server's message shows it.</summary>
    public static string? Misfit(Payload payload, IndexedValueType type)
    {
        if (NilPayload.Is(payload) || Encoding(payload) == "binary/null")
        {
            return null;
        }
        JsonElement value;
        try
        {
            using var document = JsonDocument.Parse(payload.Data.Memory);
            value = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"value from <{payload}>";
        }
        var fits = Encoding(payload) == "json/plain" && (type == IndexedValueType.KeywordList
            ? FitsKeywordList(value)
            : Fits(value, type) || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Null || Fits(v, type))));
        return fits ? null : Show(value);
    }

    private static string Encoding(Payload payload) =>
        payload.Metadata.TryGetValue("encoding", out var encoding) ? encoding.ToStringUtf8() : "";

    private static bool FitsKeywordList(JsonElement value)
    {
        static bool Strings(JsonElement list) =>
            list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Null);
        if (value.ValueKind == JsonValueKind.Null || Strings(value))
        {
            return true;
        }
        // A list of lists decodes when it holds at most one list: no allow-list for KeywordList.
        return value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1
            && value[0].ValueKind is JsonValueKind.Null or JsonValueKind.Array && (value[0].ValueKind == JsonValueKind.Null || Strings(value[0]));
    }

    private static bool Fits(JsonElement value, IndexedValueType type) => type switch
    {
        IndexedValueType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        IndexedValueType.Int => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        IndexedValueType.Double => value.ValueKind == JsonValueKind.Number,
        IndexedValueType.Keyword or IndexedValueType.Text => value.ValueKind == JsonValueKind.String,
        IndexedValueType.Datetime => value.ValueKind == JsonValueKind.String && IsRfc3339(value.GetString()!),
        _ => false,
    };

    /// <summary>The layout Go's <c>time.Time</c> reads from JSON: date, 'T', time, optional fraction, zone.</summary>
    private static bool IsRfc3339(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Roughly as Go's <c>%v</c> prints a decoded JSON value.</summary>
    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "<nil>",
        JsonValueKind.Array => $"[{string.Join(' ', value.EnumerateArray().Select(Show))}]",
        JsonValueKind.Object => $"map[{string.Join(' ', value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}:{Show(p.Value)}"))}]",
        _ => value.GetRawText(),
    };
}
