using System.ComponentModel.DataAnnotations;
using System.Text;

namespace FlashFundX.Api.Auth;

/// <summary>
/// Bearer-token validation (section <c>Auth</c>). Tokens are HS256 JWTs issued by the identity provider; the signing
/// key is the UTF-8 bytes of <see cref="SigningKey"/>. Issuer and audience are checked only when configured.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>HS256 requires at least 256 bits of key.</summary>
    public const int MinimumKeyBytes = 32;

    [Required(ErrorMessage = "Auth:SigningKey (env Auth__SigningKey) is required.")]
    public string SigningKey { get; set; } = "";

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Tolerance for clock differences between the token issuer and this service.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Auth:ClockSkew must be between 0 and 10 minutes.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public byte[] SigningKeyBytes() => Encoding.UTF8.GetBytes(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(SigningKey) && Encoding.UTF8.GetByteCount(SigningKey) < MinimumKeyBytes)
        {
            // Names the setting and the rule, never the value.
            yield return new ValidationResult(
                $"Auth:SigningKey must be at least {MinimumKeyBytes} bytes (UTF-8) for HS256.", [nameof(SigningKey)]);
        }
    }

    /// <summary>Never prints the signing key.</summary>
    public override string ToString() =>
        $"AuthOptions {{ SigningKey = {(string.IsNullOrEmpty(SigningKey) ? "(unset)" : "***")}, Issuer = {Issuer ?? "(any)"}, Audience = {Audience ?? "(any)"} }}";
}
