using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashFundX.NowPayments.Json;

/// <summary>Non-nullable counterpart of <see cref="FlexibleDecimalConverter"/>; null or <c>""</c> is an error.</summary>
internal sealed class NonNullableDecimalConverter : JsonConverter<decimal>
{
    private static readonly FlexibleDecimalConverter Inner = new();

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Inner.Read(ref reader, typeof(decimal?), options) ?? throw new JsonException("A decimal value is required.");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value);
}
