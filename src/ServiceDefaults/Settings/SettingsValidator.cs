using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FlashFundX.ServiceDefaults.Settings;

/// <summary>
/// DataAnnotations validation of one settings section whose failures name the setting as an operator writes it
/// (<c>Section:Key</c> and its <c>Section__Key</c> environment variable), never its value.
/// </summary>
internal sealed class SettingsValidator<TOptions>(string? optionsName, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (optionsName is not null && !string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(results.Select(Describe));
    }

    private string Describe(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is invalid.";
        var member = result.MemberNames.FirstOrDefault();
        if (member is null || message.Contains(section + ":", StringComparison.Ordinal))
        {
            return message;
        }
        var setting = $"{section}:{member} (env {section}__{member})";
        return string.Equals(message, $"The {member} field is required.", StringComparison.Ordinal)
            ? $"{setting} is required."
            : $"{setting}: {message}";
    }
}
