using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>
/// Generators of bad values, as raw JSON text (so they can be what no serializer writes: NaN, 1e400, unterminated
/// strings, escaped lone surrogates) and as strings for paths, queries and headers.
/// </summary>
public static class MalformedValues
{
    public const int OneMegabyte = 1024 * 1024;

    private static readonly string[] Tokens =
    [
        "null", "true", "false", "0", "-0", "-1", "1.5", "-1.5", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "79228162514264337593543950336",
        "123456789012345678901234567890.123456789", "1e308", "-1e308", "1e400", "-1e400", "1e-400", "4.9e-324", "1E+99999",
        "NaN", "-NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "\"-1\"", "\"10000\"",
        "0x10", "01", "+1", ".5", "1.", "1e", "--1", "[]", "{}", "[null]", "[[]]", "{\"\":null}", "\"\"", "\" \"", "\"\\t\"",
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\"", "\"\\uFFFF\"", "\"\\n\\r\"", "\"\\\\\"",
        "\"' OR '1'='1\"", "\"%00\"", "\"${jndi:ldap://x}\"", "\"<script>\"", "\"\\u202e\"", "\"\\u00e9\"", "\"💥\"",
        "undefined", "'x'", "\"unterminated", "tru", "nul", "[1,", "{\"a\":", "1 2", "\"a\" \"b\"", "/* c */ 1",
    ];

    /// <summary>Short strings that look like, but are not, enum values or codes.</summary>
    public static Gen<string> UnknownWord { get; } = Gen.Frequency(
        (4, Gen.Char.AlphaNumeric.Array[1, 12].Select(c => new string(c))),
        (2, Gen.OneOf("MT5", "Mt4", " mt5", "mt5 ", "mt6", "two-step", "TWO_STEP", "two_step\u0000", "usdt", "USDT_TRC20",
            "instant ", "hft1", "0", "-1", "", " ", "null", "true", "admin", "../../etc/passwd", "FFX000000000", "ffx000000001")),
        (1, Gen.String[0, 40]));

    /// <summary>Strings far over any sensible limit: 64 KiB + 1, and 1 MiB (ASCII and multi-byte).</summary>
    public static Gen<string> HugeString { get; } = Gen.OneOf(
        Gen.Const(() => new string('a', OneMegabyte)),
        Gen.Const(() => new string('€', OneMegabyte / 3)),
        Gen.Const(() => new string('x', 64 * 1024 + 1)),
        Gen.Const(() => new string('9', 5000)));

    private static Gen<string> Number { get; } = Gen.Frequency(
        (4, Gen.OneOf("-1", "0", "1", "-0", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e3", "1.5",
            "NaN", "Infinity", "-Infinity", "0x10", "+5", " 1", "1 ", "١٢", "1,000", "")),
        (3, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))));

    private static Gen<string> ParameterText { get; } = Gen.Frequency(
        (4, UnknownWord),
        (2, Gen.String[0, 64]),
        (1, Gen.OneOf("\0", "a\0b", "\u202e", "💥", "é", "\r\n", "' OR '1'='1", "../..", "FFX12345678\u0000")));

    /// <summary>A path segment, already percent-encoded where it should be (or deliberately not).</summary>
    public static Gen<string> PathSegment(IReadOnlyList<string> known, bool numeric) => Gen.Frequency(
        (known.Count > 0 ? 6 : 0, known.Count > 0 ? Gen.OneOf(known.ToArray()) : Gen.Const("")),
        (4, ParameterText.Select(Escape)),
        (numeric ? 4 : 1, Number),
        (3, Gen.OneOf("%FF%FE", "%00", "%C0%80", "%ED%A0%80", "%F8%88%80%80%80", "%", "%G0", "%2e%2e", "..", "%2F", "a%2Fb",
            ";x=1", "%20", "%0D%0Aset-cookie:x", "FFX%00000000001", "FFX000000001%00")),
        (1, Gen.Const(new string('9', 7000))));

    /// <summary>A query-string value (encoded by the caller).</summary>
    public static Gen<string> QueryValue(bool numeric) => Gen.Frequency(
        (numeric ? 6 : 2, Number),
        (4, ParameterText),
        (1, Gen.Const(new string('1', 6000))));

    /// <summary>A header value: printable ASCII only (HttpClient refuses anything else), up to far over Kestrel's limits.</summary>
    public static Gen<string> HeaderValue { get; } = Gen.Frequency(
        (16, Gen.Char['!', '~'].Array[1, 64].Select(c => new string(c))),
        (4, Gen.OneOf("", " ", "null", "-1", "0", "' OR 1=1--", "%00", "\\u0000", "a b")),
        (2, Gen.Int[200, 8000].Select(n => new string('k', n))),
        (1, Gen.Const(new string('k', 40 * 1024))));

    /// <summary>A raw JSON value of a wrong type, out of range, non-finite, malformed, huge or deeply nested.</summary>
    public static Gen<string> JsonValue { get; } = Gen.Frequency(
        (10, Gen.OneOf(Tokens)),
        (3, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "NaN")),
        (2, Gen.Decimal.Select(d => d.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.Bool.Select(b => b ? "true" : "false")),
        (5, UnknownWord.Select(Quote)),
        (4, Gen.String.Select(Quote)),
        (2, Gen.Int[65, 5000].Select(depth => new string('[', depth) + new string(']', depth))),
        (2, Gen.Int[65, 3000].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))),
        (1, Gen.Int[65, 3000].Select(depth => new string('[', depth))),
        (2, HugeString.Select(Quote)),
        (2, Gen.Int.Array[0, 8].Select(a => "[" + string.Join(",", a) + "]")),
        (2, UnknownWord.Array[0, 4].Select(a => "{" + string.Join(",", a.Select(w => Quote(w) + ":" + Quote(w))) + "}")));

    /// <summary>A number that binds as one but is out of any sensible range: negative, zero, fractional, huge, overflowing.</summary>
    public static Gen<string> JsonNumber { get; } = Gen.Frequency(
        (4, Gen.OneOf("0", "-0", "-1", "1", "0.5", "-0.01", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775808",
            "1e308", "1e400", "-1e400", "1e-400", "1E2", "100.0", "99999999999999999999999999999")),
        (3, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "-1e400")),
        (1, Gen.OneOf("NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"")));

    /// <summary>A string that binds as one but is no value the API knows: unknown words, empty, blank, NUL, control characters, huge.</summary>
    public static Gen<string> JsonString { get; } = Gen.Frequency(
        (6, UnknownWord.Select(Quote)),
        (2, Gen.String.Select(Quote)),
        (2, Gen.OneOf("\"\"", "\"   \"", "\"\\u0000\"", "\"a\\u0000\"", "\"\\ud800\"", "\"\\u001b[31m\"", "\"\\r\\nX-Injected: 1\"")),
        (1, HugeString.Select(Quote)));

    /// <summary>A JSON string literal for <paramref name="value"/> (lone surrogates come out as escapes).</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <summary>Byte sequences that are not UTF-8: stray continuation, overlong NUL, encoded surrogate, 5-byte form, truncated.</summary>
    public static Gen<byte[]> InvalidUtf8 { get; } = Gen.OneOf<byte[]>(
        [0xFF], [0xFE, 0xFF], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]);

    /// <summary>Percent-encodes text; a lone surrogate (which has no UTF-8 form) is sent as the bytes of one.</summary>
    public static string Escape(string value)
    {
        try
        {
            return Uri.EscapeDataString(value);
        }
        catch (UriFormatException)
        {
            return "%ED%A0%80";
        }
    }

    public static string Describe(string raw) => raw.Length <= 60 ? raw : $"{raw[..40]}…({raw.Length} chars)";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
