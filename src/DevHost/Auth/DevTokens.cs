using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using FlashFundX.Api.Auth;

namespace FlashFundX.DevHost.Auth;

/// <summary>
/// Issues HS256 tokens the API accepts, for local development (the run command prints an admin and a user token)
/// and tests. Production tokens come from the identity provider.
/// </summary>
public static class DevTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="signingKey">The same value as <c>Auth:SigningKey</c>.</param>
    /// <param name="lifetime">Defaults to 12 hours.</param>
    /// <param name="issuedAt">Defaults to now; set it in the past (with a short lifetime) for an expired token.</param>
    public static string Issue(
        string signingKey,
        Guid userId,
        string email,
        bool admin = false,
        TimeSpan? lifetime = null,
        string? issuer = null,
        string? audience = null,
        DateTime? issuedAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var now = issuedAt ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [AuthClaims.Subject] = userId.ToString(),
            [AuthClaims.Email] = email,
            [AuthClaims.Role] = admin ? AuthClaims.AdminRole : AuthClaims.UserRole,
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(12)),
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        };
        return Handler.CreateToken(descriptor);
    }

    /// <summary>A token with the issuer and audience of <paramref name="options"/>.</summary>
    public static string Issue(AuthOptions options, Guid userId, string email, bool admin = false, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Issue(options.SigningKey, userId, email, admin, lifetime, options.Issuer, options.Audience);
    }

    /// <summary>Identity of the tokens the run command prints, stable across restarts so orders stay visible.</summary>
    public static Guid DemoAdminId { get; } = Guid.Parse("0b0b0b0b-0000-4000-8000-00000000ad01");

    public static Guid DemoUserId { get; } = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
}
