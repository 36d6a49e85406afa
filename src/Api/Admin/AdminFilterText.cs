namespace FlashFundX.Api.Admin;

/// <summary>The check of a free-text filter of an admin list (an action name, an e-mail or a part of one).</summary>
internal static class AdminFilterText
{
    public const int MaxLength = 320;

    /// <summary>Adds an error for <paramref name="field"/> unless the value is absent or 1–<see cref="MaxLength"/> characters with no NUL.</summary>
    public static void Check(Dictionary<string, string[]> errors, string field, string? value)
    {
        // PostgreSQL text cannot hold a NUL.
        if (value is not null && (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value.Contains('\0', StringComparison.Ordinal)))
        {
            errors[field] = [$"{field} must be 1–{MaxLength} characters, not blank, no NUL."];
        }
    }
}
