using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FlashFundX.NowPayments.Json;

/// <summary>Serializer settings for NowPayments' snake_case JSON, tolerant of numbers sent as strings and vice versa.</summary>
public static class NowPaymentsJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new FlexibleDecimalConverter());
        options.Converters.Add(new NonNullableDecimalConverter());
        options.Converters.Add(new FlexibleStringConverter());
        options.Converters.Add(new FlexibleDateConverter());
        options.MakeReadOnly();
        return options;
    }
}
