using System.ComponentModel.DataAnnotations;
using System.Text;

namespace FlashFundX.Api.Auth;

/// <summary>
/// Bearer-token validation (section <c>Auth</c>). Tokens are HS256 JWTs issued by the identity provider; the signing
/// key is the UTF-8 bytes of <see cref="SigningKey"/>. Outside Development <see cref="Issuer"/> and
/// <see cref="Audience"/> are required, and every token is checked against them (see <see cref="TokenRules"/>).
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>HS256 requires at least 256 bits of key.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>Required; checked in <see cref="Validate"/> with the issuer and audience, so one start names every missing one.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The <c>iss</c> every token must carry; required outside Development, checked whenever set.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token must carry; required outside Development, checked whenever set.</summary>
    public string? Audience { get; set; }

    /// <summary>Tolerance for clock differences between the token issuer and this service.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Auth:ClockSkew must be between 0 and 10 minutes.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest lifetime (<c>exp − iat</c>) a token may be issued with; a longer-lived token is refused.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Auth:MaxTokenLifetime must be between 1 minute and 24 hours.")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Set from the host's environment (not bound): true everywhere but Development.</summary>
    internal bool IssuerAndAudienceRequired { get; set; }

    public byte[] SigningKeyBytes() => Encoding.UTF8.GetBytes(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Not [Required]: DataAnnotations skip Validate when a property attribute fails, which would hide the rules below.
        if (string.IsNullOrEmpty(SigningKey))
        {
            yield return new ValidationResult("Auth:SigningKey (env Auth__SigningKey) is required.", [nameof(SigningKey)]);
        }
        else if (Encoding.UTF8.GetByteCount(SigningKey) < MinimumKeyBytes)
        {
            // Names the setting and the rule, never the value.
            yield return new ValidationResult(
                $"Auth:SigningKey must be at least {MinimumKeyBytes} bytes (UTF-8) for HS256.", [nameof(SigningKey)]);
        }
        if (IssuerAndAudienceRequired && string.IsNullOrWhiteSpace(Issuer))
        {
            yield return new ValidationResult(
                "Auth:Issuer (env Auth__Issuer) is required outside Development: the token issuer every token must name.", [nameof(Issuer)]);
        }
        if (IssuerAndAudienceRequired && string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult(
                "Auth:Audience (env Auth__Audience) is required outside Development: the audience every token must name.", [nameof(Audience)]);
        }
    }

    /// <summary>Never prints the signing key.</summary>
    public override string ToString() =>
        $"AuthOptions {{ SigningKey = {(string.IsNullOrEmpty(SigningKey) ? "(unset)" : "***")}, Issuer = {Issuer ?? "(any)"}, Audience = {Audience ?? "(any)"} }}";
}
