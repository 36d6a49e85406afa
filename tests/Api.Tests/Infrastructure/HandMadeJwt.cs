using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// HS256 tokens built byte by byte, so a test can give them any header (no <c>typ</c>, <c>at+jwt</c>) and any claims
/// (no <c>iat</c>, a week's lifetime) that the token handlers would not write. Correctly signed: only the rule under test fails.
/// </summary>
public static class HandMadeJwt
{
    public static string Sign(string signingKey, IReadOnlyDictionary<string, object?> header, IReadOnlyDictionary<string, object?> payload)
    {
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary><c>{"alg":"HS256","typ":…}</c>; a null <paramref name="type"/> leaves <c>typ</c> out.</summary>
    public static Dictionary<string, object?> Header(string? type = "JWT")
    {
        var header = new Dictionary<string, object?> { ["alg"] = "HS256" };
        if (type is not null)
        {
            header["typ"] = type;
        }
        return header;
    }

    /// <summary>What the test hosts' identity provider puts in a customer's token, issued at <paramref name="issuedAt"/> for <paramref name="lifetime"/>.</summary>
    public static Dictionary<string, object?> Claims(
        string issuer, string audience, Guid userId, string email, DateTimeOffset issuedAt, TimeSpan lifetime) => new()
    {
        ["sub"] = userId.ToString(),
        ["email"] = email,
        ["role"] = "user",
        ["iss"] = issuer,
        ["aud"] = audience,
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        ["exp"] = (issuedAt + lifetime).ToUnixTimeSeconds(),
    };

    private static string Encode(IReadOnlyDictionary<string, object?> part) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(part));
}
