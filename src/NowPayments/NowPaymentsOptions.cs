using System.ComponentModel.DataAnnotations;

namespace FlashFundX.NowPayments;

/// <summary>
/// Configuration section <c>NowPayments</c>. Sandbox and production differ only by <see cref="BaseUrl"/> and keys.
/// Validated at start with DataAnnotations; the cross-field rules run through <see cref="IValidatableObject"/>. Which
/// statuses count as paid, and how often a payment is polled, are the workflow's (<c>Fulfillment</c> section).
/// </summary>
public sealed class NowPaymentsOptions : IValidatableObject
{
    public const string SectionName = "NowPayments";

    /// <summary>API root, e.g. <c>https://api.nowpayments.io/v1</c> or <c>https://api-sandbox.nowpayments.io/v1</c>.</summary>
    [Required(ErrorMessage = SectionName + ":BaseUrl (env " + SectionName + "__BaseUrl) is required.")]
    public string BaseUrl { get; set; } = "";

    [Required(ErrorMessage = SectionName + ":ApiKey (env " + SectionName + "__ApiKey) is required.")]
    public string ApiKey { get; set; } = "";

    [Required(ErrorMessage = SectionName + ":IpnSecret (env " + SectionName + "__IpnSecret) is required.")]
    public string IpnSecret { get; set; } = "";

    /// <summary>Public URL of our <c>POST /webhooks/nowpayments</c> endpoint.</summary>
    [Required(ErrorMessage = SectionName + ":IpnCallbackUrl (env " + SectionName + "__IpnCallbackUrl) is required.")]
    public string IpnCallbackUrl { get; set; } = "";

    /// <summary>
    /// E-mail of the NowPayments account, with <see cref="Password"/>: listing an invoice's payments needs a login
    /// (a JWT from <c>POST /auth</c>), not only the API key. Optional; without it an order whose every IPN is lost
    /// cannot learn of its payment by polling.
    /// </summary>
    public string? Email { get; set; }

    /// <summary>Password of the NowPayments account; see <see cref="Email"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Whether <see cref="Email"/> and <see cref="Password"/> are both given.</summary>
    public bool HasAccountLogin => !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrWhiteSpace(Password);

    /// <summary>Where the invoice page sends the buyer after paying; <c>{orderId}</c> in it becomes the order's id.</summary>
    public string? SuccessUrl { get; set; }

    /// <summary>Where the invoice page sends a buyer who cancels; <c>{orderId}</c> in it becomes the order's id.</summary>
    public string? CancelUrl { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value, required) in new[]
                 {
                     (nameof(BaseUrl), BaseUrl, true),
                     (nameof(IpnCallbackUrl), IpnCallbackUrl, true),
                     (nameof(SuccessUrl), SuccessUrl, false),
                     (nameof(CancelUrl), CancelUrl, false),
                 })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue; // [Required] reports the missing ones
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"{SectionName}:{name} must be an absolute http(s) URL.", [name]);
            }
            else if (required && name == nameof(BaseUrl) && !string.IsNullOrEmpty(uri.Query))
            {
                yield return new ValidationResult($"{SectionName}:{name} must not have a query string.", [name]);
            }
        }

        if (string.IsNullOrWhiteSpace(Email) != string.IsNullOrWhiteSpace(Password))
        {
            var missing = string.IsNullOrWhiteSpace(Email) ? nameof(Email) : nameof(Password);
            yield return new ValidationResult(
                $"{SectionName}:{missing} is required when {SectionName}:{(missing == nameof(Email) ? nameof(Password) : nameof(Email))} is set.", [missing]);
        }

    }

    /// <summary>Never prints the API key, the IPN secret or the account password.</summary>
    public override string ToString() =>
        $"NowPaymentsOptions {{ BaseUrl = {BaseUrl}, ApiKey = {Redact(ApiKey)}, IpnSecret = {Redact(IpnSecret)}, " +
        $"Email = {Email ?? "(unset)"}, Password = {Redact(Password)}, " +
        $"IpnCallbackUrl = {IpnCallbackUrl}, RequestTimeout = {RequestTimeout} }}";

    private static string Redact(string? secret) => string.IsNullOrEmpty(secret) ? "(unset)" : "***";
}
