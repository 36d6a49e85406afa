using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace FlashFundX.Activities.Notifications;

/// <summary>
/// Section <c>Smtp</c>: the server order e-mails go through. Checked at start only when <see cref="Enabled"/>; disabled,
/// the e-mail activity records each e-mail as skipped.
/// </summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Smtp";

    public bool Enabled { get; set; }

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>The sender, e.g. <c>FlashFundX &lt;orders@flashfundx.com&gt;</c>; its domain also names the Message-Ids.</summary>
    public string From { get; set; } = "FlashFundX <orders@flashfundx.local>";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>TLS on connect for port 465, STARTTLS (required, never downgraded) otherwise; false for a local sink only.</summary>
    public bool UseTls { get; set; } = true;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("Smtp:Host is required when Smtp:Enabled is true.", [nameof(Host)]);
        }
        if (!MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Smtp:From must be an e-mail address, e.g. 'FlashFundX <orders@example.com>'.", [nameof(From)]);
        }
        if (!string.IsNullOrEmpty(Password) && string.IsNullOrWhiteSpace(UserName))
        {
            yield return new ValidationResult("Smtp:UserName is required when Smtp:Password is set.", [nameof(UserName)]);
        }
    }

    public override string ToString() =>
        $"SmtpOptions {{ Enabled = {Enabled}, Host = {Host}, Port = {Port}, From = {From}, UserName = {UserName}, Password = ***, UseTls = {UseTls} }}";
}
