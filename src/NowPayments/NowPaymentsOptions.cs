using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace FlashFundX.NowPayments;

/// <summary>
/// Configuration section <c>NowPayments</c>. Sandbox and production differ only by <see cref="BaseUrl"/> and keys.
/// Register with <c>AddOptionsWithValidateOnStart&lt;NowPaymentsOptions&gt;().BindConfiguration(NowPaymentsOptions.SectionName).ValidateDataAnnotations()</c>;
/// the cross-field rules run through <see cref="IValidatableObject"/>, so DataAnnotations validation covers everything.
/// </summary>
public sealed class NowPaymentsOptions : IValidatableObject
{
    public const string SectionName = "NowPayments";

    public static readonly IReadOnlyList<string> DefaultPaidStatuses =
        [NowPaymentsStatuses.Confirmed, NowPaymentsStatuses.Sending, NowPaymentsStatuses.Finished];

    /// <summary>API root, e.g. <c>https://api.nowpayments.io/v1</c> or <c>https://api-sandbox.nowpayments.io/v1</c>.</summary>
    [Required]
    public string BaseUrl { get; set; } = "";

    [Required]
    public string ApiKey { get; set; } = "";

    [Required]
    public string IpnSecret { get; set; } = "";

    /// <summary>Public URL of our <c>POST /webhooks/nowpayments</c> endpoint.</summary>
    [Required]
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

    public string? SuccessUrl { get; set; }

    public string? CancelUrl { get; set; }

    /// <summary>
    /// Bound from <c>NowPayments:PaidStatuses</c>. A separate property because the configuration binder appends
    /// to a collection that already has default items instead of replacing them.
    /// </summary>
    [ConfigurationKeyName("PaidStatuses")]
    public string[]? ConfiguredPaidStatuses { get; set; }

    /// <summary>Statuses that count as paid: the configured list, or confirmed, sending and finished.</summary>
    public IReadOnlyList<string> PaidStatuses =>
        ConfiguredPaidStatuses is { Length: > 0 } configured ? configured : DefaultPaidStatuses;

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInitialInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollMaxInterval { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsPaidStatus(string? status) =>
        status is not null && PaidStatuses.Contains(status, StringComparer.OrdinalIgnoreCase);

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

        if (PollMaxInterval < PollInitialInterval)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(PollMaxInterval)} must be at least {nameof(PollInitialInterval)}.",
                [nameof(PollMaxInterval), nameof(PollInitialInterval)]);
        }

        if (ConfiguredPaidStatuses is not null && ConfiguredPaidStatuses.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult($"{SectionName}:PaidStatuses must not contain empty entries.", ["PaidStatuses"]);
        }
    }

    /// <summary>Never prints the API key, the IPN secret or the account password.</summary>
    public override string ToString() =>
        $"NowPaymentsOptions {{ BaseUrl = {BaseUrl}, ApiKey = {Redact(ApiKey)}, IpnSecret = {Redact(IpnSecret)}, " +
        $"Email = {Email ?? "(unset)"}, Password = {Redact(Password)}, " +
        $"IpnCallbackUrl = {IpnCallbackUrl}, PaidStatuses = [{string.Join(", ", PaidStatuses)}], RequestTimeout = {RequestTimeout} }}";

    private static string Redact(string? secret) => string.IsNullOrEmpty(secret) ? "(unset)" : "***";
}
