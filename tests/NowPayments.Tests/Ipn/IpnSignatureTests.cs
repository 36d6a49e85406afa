using System.Security.Cryptography;
using System.Text;
using FlashFundX.NowPayments.Ipn;

namespace FlashFundX.NowPayments.Tests.Ipn;

/// <summary>
/// Every expected signature here is computed from a canonical string written out literally in the test and hashed with
/// System.Security.Cryptography directly, never through <see cref="IpnSignature"/>.
/// </summary>
public sealed class IpnSignatureTests
{
    private const string Secret = "ipn-secret-\u00e9-test";

    public static TheoryData<string, string, string> Vectors => new()
    {
        {
            "flat",
            """{"payment_status":"finished","payment_id":5077125051,"order_id":"FFX123456789","price_amount":10.50,"price_currency":"usd"}""",
            """{"order_id":"FFX123456789","payment_id":5077125051,"payment_status":"finished","price_amount":10.50,"price_currency":"usd"}"""
        },
        {
            "nested fee",
            """{"payment_id":1,"fee":{"withdrawalFee":0,"currency":"btc","depositFee":0.09853637216235617,"serviceFee":0},"actually_paid":1e-7,"order_id":"FFX000000001"}""",
            """{"actually_paid":1e-7,"fee":{"currency":"btc","depositFee":0.09853637216235617,"serviceFee":0,"withdrawalFee":0},"order_id":"FFX000000001","payment_id":1}"""
        },
        {
            "unicode and slashes",
            """{"order_id":"FFX2","order_description":"Pr\u00fcfung \u2013 50k \"FTMO\" \ud83d\ude80","url":"https:\/\/x.io\/a","raw":"Grüße 🚀 /ok"}""",
            "{\"order_description\":\"Prüfung – 50k \\\"FTMO\\\" 🚀\",\"order_id\":\"FFX2\",\"raw\":\"Grüße 🚀 /ok\",\"url\":\"https://x.io/a\"}"
        },
        {
            "control characters",
            """{"b":"line\nbreak\ttab\u0001\u001f","a":"back\\slash"}""",
            "{\"a\":\"back\\\\slash\",\"b\":\"line\\nbreak\\ttab\\u0001\\u001f\"}"
        },
        {
            "numbers as received",
            """{"z":1E+2,"y":-0,"x":10.50,"w":1e-7,"v":123456789012345678901234567890,"u":0.1}""",
            """{"u":0.1,"v":123456789012345678901234567890,"w":1e-7,"x":10.50,"y":-0,"z":1E+2}"""
        },
        {
            "pretty printed, arrays, literals",
            "{\n  \"list\": [ {\"b\": 2, \"a\": 1}, 3, \"x\" ],\n  \"flag\": true,\n  \"none\": null,\n  \"off\": false\n}",
            """{"flag":true,"list":[{"a":1,"b":2},3,"x"],"none":null,"off":false}"""
        },
        {
            "ordinal key order",
            """{"b":1,"B":2,"_":3,"a_b":4,"aB":5,"\u00e9":6}""",
            """{"B":2,"_":3,"aB":5,"a_b":4,"b":1,"é":6}"""
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_KnownVector_MatchesIndependentHmac(string name, string body, string canonical)
    {
        var expected = IndependentHmacHex(canonical);

        var actual = IpnSignature.Compute(Encoding.UTF8.GetBytes(body), Secret);

        Assert.True(expected == actual, $"vector '{name}'");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_IndependentSignatureInEitherCase_ReturnsTrue(string name, string body, string canonical)
    {
        var signature = IndependentHmacHex(canonical);
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.True(IpnSignature.Verify(bytes, signature, Secret), $"lowercase, vector '{name}'");
        Assert.True(IpnSignature.Verify(bytes, signature.ToUpperInvariant(), Secret), $"uppercase, vector '{name}'");
    }

    [Fact]
    public void Verify_AnyOneByteChangeToContent_ReturnsFalse()
    {
        const string body = """{"payment_id":5077125051,"payment_status":"finished","order_id":"FFX123456789","price_amount":10.50,"price_currency":"usd","fee":{"currency":"usdttrc20","serviceFee":0.05},"ok":true}""";
        var signature = IndependentHmacHex("""{"fee":{"currency":"usdttrc20","serviceFee":0.05},"ok":true,"order_id":"FFX123456789","payment_id":5077125051,"payment_status":"finished","price_amount":10.50,"price_currency":"usd"}""");
        var original = Encoding.UTF8.GetBytes(body);
        Assert.True(IpnSignature.Verify(original, signature, Secret));

        for (var i = 0; i < original.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit((char)original[i]))
            {
                continue;
            }

            var tampered = (byte[])original.Clone();
            tampered[i] = (byte)(char.IsAsciiDigit((char)tampered[i]) ? (tampered[i] == '9' ? '8' : tampered[i] + 1) : (tampered[i] == 'z' ? 'y' : tampered[i] == 'Z' ? 'Y' : tampered[i] + 1));

            Assert.False(IpnSignature.Verify(tampered, signature, Secret), $"byte {i} changed from '{(char)original[i]}' to '{(char)tampered[i]}'");
        }
    }

    [Fact]
    public void Verify_WhitespaceOnlyDifference_ReturnsTrue()
    {
        var signature = IndependentHmacHex("""{"a":1,"b":"x"}""");

        var valid = IpnSignature.Verify(Encoding.UTF8.GetBytes(" { \"b\" : \"x\" ,\r\n \"a\" : 1 } "), signature, Secret);

        Assert.True(valid);
    }

    [Fact]
    public void Verify_DuplicateKey_UsesLastValueLikeJsonParse()
    {
        var signature = IndependentHmacHex("""{"a":2}""");

        Assert.True(IpnSignature.Verify("""{"a":1,"a":2}"""u8, signature, Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not-hex")]
    [InlineData("abcd")]
    public void Verify_MissingOrMalformedSignature_ReturnsFalse(string? signature)
    {
        var valid = IpnSignature.Verify("""{"a":1}"""u8, signature, Secret);

        Assert.False(valid);
    }

    [Fact]
    public void Verify_WrongLengthHexPrefixOfRealSignature_ReturnsFalse()
    {
        var signature = IndependentHmacHex("""{"a":1}""");

        Assert.False(IpnSignature.Verify("""{"a":1}"""u8, signature[..^2], Secret));
        Assert.False(IpnSignature.Verify("""{"a":1}"""u8, signature + "00", Secret));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":1} {"b":2}""")]
    [InlineData("""{"a":01}""")]
    public void Verify_InvalidJson_ReturnsFalse(string body)
    {
        var signature = IndependentHmacHex(body);

        var valid = IpnSignature.Verify(Encoding.UTF8.GetBytes(body), signature, Secret);

        Assert.False(valid);
    }

    [Fact]
    public void Verify_OtherSecret_ReturnsFalse()
    {
        var signature = IndependentHmacHex("""{"a":1}""");

        Assert.False(IpnSignature.Verify("""{"a":1}"""u8, signature, "another-secret"));
    }

    [Fact]
    public void Compute_InvalidJson_Throws()
    {
        Assert.Throws<ArgumentException>(() => IpnSignature.Compute("nope"u8, Secret));
    }

    [Fact]
    public void Verify_EmptySecret_ThrowsBecauseItIsAConfigurationError()
    {
        Assert.ThrowsAny<ArgumentException>(() => IpnSignature.Verify("""{"a":1}"""u8, new string('0', 128), ""));
    }

    private static string IndependentHmacHex(string canonical)
    {
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes(Secret));
        var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(canonical));
        return string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
