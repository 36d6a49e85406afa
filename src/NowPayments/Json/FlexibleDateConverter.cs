using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashFundX.NowPayments.Json;

/// <summary>Reads an ISO 8601 string or Unix milliseconds; anything unreadable becomes null rather than failing the whole body.</summary>
internal sealed class FlexibleDateConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                return parsed;
            case JsonTokenType.Number when reader.TryGetInt64(out var milliseconds) && milliseconds is > 0 and < 253402300800000:
                return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteStringValue(date);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
