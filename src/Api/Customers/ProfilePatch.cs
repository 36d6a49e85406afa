using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlashFundX.Api.Customers;

/// <summary>
/// A JSON merge patch (RFC 7396) of the profile: a field left out is unchanged, <c>null</c> clears it. Only profile
/// fields are accepted; <c>email</c> and the role come from the identity provider's token.
/// </summary>
public sealed partial class ProfilePatch
{
    private static readonly string[] Fields = ["firstName", "lastName", "phone", "country", "marketingConsent"];

    private ProfilePatch(IReadOnlyDictionary<string, object?> changes) => Changes = changes;

    /// <summary>Column name → new value (null clears) for each field the patch names.</summary>
    public IReadOnlyDictionary<string, object?> Changes { get; }

    public static ProfilePatch Parse(JsonElement body, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["A merge patch is a JSON object of the profile fields to change."];
            return new ProfilePatch(changes);
        }
        try
        {
            ReadFields(body, errors, changes);
        }
        catch (InvalidOperationException)
        {
            // The JSON reader lets invalid UTF-8 or an escaped lone surrogate inside a key or string pass, and throws
            // only when that text is read.
            changes.Clear();
            errors.Clear();
            errors["body"] = ["The body holds a key or string that is not text (invalid UTF-8, or an escaped lone surrogate such as \\ud800)."];
        }
        return new ProfilePatch(changes);
    }

    private static void ReadFields(JsonElement body, Dictionary<string, string[]> errors, Dictionary<string, object?> changes)
    {
        foreach (var property in body.EnumerateObject())
        {
            var error = property.Name switch
            {
                "firstName" => Text(property.Value, "first_name", 100, null, changes),
                "lastName" => Text(property.Value, "last_name", 100, null, changes),
                "phone" => Text(property.Value, "phone", 32, PhonePattern(), changes),
                "country" => Text(property.Value, "country", 2, CountryPattern(), changes),
                "marketingConsent" => Consent(property.Value, changes),
                "email" or "role" => "is set by the identity provider, not here.",
                _ => $"is not a profile field ({string.Join(", ", Fields)}).",
            };
            if (error is not null)
            {
                errors[property.Name] = [error];
            }
        }
    }

    private static string? Text(JsonElement value, string column, int maxLength, Regex? pattern, Dictionary<string, object?> changes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            changes[column] = null;
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        // PostgreSQL text cannot hold a NUL.
        if (string.IsNullOrEmpty(text) || text.Length > maxLength || text.Contains('\0', StringComparison.Ordinal)
            || (pattern is not null && !pattern.IsMatch(text)))
        {
            return column switch
            {
                "country" => "must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE, or null.",
                "phone" => "must be a phone number of digits, spaces, ( ) and -, optionally starting with +, or null.",
                _ => $"must be a non-empty string of at most {maxLength} characters without NUL, or null.",
            };
        }
        changes[column] = text;
        return null;
    }

    private static string? Consent(JsonElement value, Dictionary<string, object?> changes)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return "must be true, false or null (null: false).";
        }
        changes["marketing_consent"] = value.ValueKind == JsonValueKind.True;
        return null;
    }

    [GeneratedRegex(@"^\+?[0-9 ()-]{5,32}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();
}
