using FlashFundX.Api.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FlashFundX.Api.Auth;

/// <summary>
/// Configures bearer validation from <see cref="AuthOptions"/>: HS256 only, issuer and audience whenever set, lifetime
/// required, the <see cref="TokenRules"/> (type, lifetime at most a day), claims as issued.
/// </summary>
internal sealed class JwtBearerSetup(IOptions<AuthOptions> auth) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        var settings = auth.Value;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = new SymmetricSecurityKey(settings.SigningKeyBytes()),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = !string.IsNullOrWhiteSpace(settings.Issuer),
            ValidIssuer = settings.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(settings.Audience),
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = settings.ClockSkew,
            NameClaimType = AuthClaims.Email,
            RoleClaimType = AuthClaims.Role,
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (TokenRules.Violation(context.SecurityToken, settings, DateTime.UtcNow) is { } violation)
                {
                    context.Fail(violation);
                }
                else if (Caller.From(context.Principal) is null)
                {
                    context.Fail("The token needs a uuid 'sub' and a valid 'email' address claim.");
                }
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var expired = context.AuthenticateFailure is SecurityTokenExpiredException;
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
                    ? "Bearer"
                    : $"Bearer error=\"invalid_token\", error_description=\"{(expired ? "The token expired" : "The token is invalid")}\"";
                await ProblemResponses.WriteAsync(
                    context.HttpContext,
                    StatusCodes.Status401Unauthorized,
                    "Unauthorized",
                    context.AuthenticateFailure is null
                        ? "A bearer token is required."
                        : expired ? "The bearer token has expired." : "The bearer token is not valid.");
            },
            OnForbidden = context => ProblemResponses.WriteAsync(
                context.HttpContext,
                StatusCodes.Status403Forbidden,
                "Forbidden",
                "This endpoint is for administrators."),
        };
    }
}
