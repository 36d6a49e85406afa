using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashFundX.Api.Auth;

/// <summary>
/// What a signed, unexpired token must also hold before the API trusts it: a <c>typ</c> header of <c>JWT</c> (any case;
/// a missing one, <c>at+jwt</c> or any other type is refused), an <c>iat</c> and an <c>exp</c>, a lifetime
/// (<c>exp − iat</c>) of at most <see cref="AuthOptions.MaxTokenLifetime"/>, and an <c>iat</c> not in the future, so a
/// leaked token is good for a day at most however its issuer dated it.
/// </summary>
internal static class TokenRules
{
    public const string AcceptedType = "JWT";

    /// <summary>Why <paramref name="token"/> is refused, or null when it holds every rule.</summary>
    public static string? Violation(SecurityToken? token, AuthOptions settings, DateTime utcNow)
    {
        if (token is not JsonWebToken jwt)
        {
            return "The token is not a JWT.";
        }
        if (!string.Equals(jwt.Typ, AcceptedType, StringComparison.OrdinalIgnoreCase))
        {
            return "The token's 'typ' header must be 'JWT'.";
        }
        if (!jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Iat, out _) || !jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Exp, out _))
        {
            return "The token needs an 'iat' and an 'exp' claim.";
        }
        if (jwt.ValidTo - jwt.IssuedAt > settings.MaxTokenLifetime)
        {
            return "The token's lifetime (exp - iat) is longer than allowed.";
        }
        if (jwt.IssuedAt > utcNow + settings.ClockSkew)
        {
            return "The token's 'iat' is in the future.";
        }
        return null;
    }
}
