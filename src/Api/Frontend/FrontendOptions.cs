using System.ComponentModel.DataAnnotations;

namespace FlashFundX.Api.Frontend;

/// <summary>Section <c>Frontend</c>: the browser origins allowed to call the API (CORS). Empty by default: none.</summary>
public sealed class FrontendOptions : IValidatableObject
{
    public const string SectionName = "Frontend";

    /// <summary>Origins such as <c>https://shop.example.com</c>: scheme, host and optional port, nothing else.</summary>
    public string[] Origins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(Origins)} entries must be origins like https://shop.example.com (no path, no trailing slash).",
                    [nameof(Origins)]);
            }
        }
    }
}
