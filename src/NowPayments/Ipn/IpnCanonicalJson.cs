using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FlashFundX.NowPayments.Ipn;

/// <summary>
/// The text NowPayments signs: the body with object keys sorted (ordinal, recursively), compact, numbers as
/// received, strings encoded as JavaScript's <c>JSON.stringify</c> does (only <c>"</c>, <c>\</c> and control
/// characters escaped; <c>/</c> and non-ASCII kept as UTF-8).
/// </summary>
internal static class IpnCanonicalJson
{
    private const int MaxDepth = 64;

    /// <summary>False when <paramref name="body"/> is not one well-formed JSON value.</summary>
    public static bool TryCanonicalize(ReadOnlySpan<byte> body, out byte[] canonical)
    {
        canonical = [];
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return false; // trailing content after the value
            }

            var output = new ArrayBufferWriter<byte>(body.Length + 16);
            Write(document.RootElement, output);
            canonical = output.WrittenSpan.ToArray();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // malformed JSON, or a string with invalid UTF-8/UTF-16 that cannot be re-encoded
            return false;
        }
    }

    private static void Write(JsonElement element, ArrayBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, output);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Write(","u8);
                    }

                    first = false;
                    Write(item, output);
                }

                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                // The raw digits, never re-formatted: 10.50 stays 10.50, 1e-7 stays 1e-7.
                output.Write(JsonMarshal.GetRawUtf8Value(element));
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new InvalidOperationException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(JsonElement element, ArrayBufferWriter<byte> output)
    {
        // Like JSON.parse, a repeated key keeps its last value.
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            properties[property.Name] = property.Value;
        }

        var keys = properties.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal); // UTF-16 code-unit order, as JavaScript's default sort

        output.Write("{"u8);
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            WriteString(keys[i], output);
            output.Write(":"u8);
            Write(properties[keys[i]], output);
        }

        output.Write("}"u8);
    }

    private static void WriteString(string value, ArrayBufferWriter<byte> output)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        output.Write(encoding.GetBytes(builder.ToString()));
    }
}
