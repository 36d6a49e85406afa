namespace FlashFundX.Workflows.Domain;

/// <summary>
/// A value someone outside sent (an IPN's <c>order_id</c>, <c>payment_status</c>, payment id, …) as it goes into a log
/// property: at most <see cref="MaxLogLength"/> characters, control characters (NUL, CR, LF, …) replaced by U+FFFD, so
/// one request cannot fill the logs or forge a line.
/// </summary>
public static class UntrustedText
{
    public const int MaxLogLength = 128;

    private const char Replacement = '\uFFFD';
    private const char Cut = '\u2026';

    /// <summary>The value as it may be logged; a longer one keeps its first characters and ends with an ellipsis.</summary>
    public static string ForLog(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var length = value.Length;
        var cut = length > MaxLogLength;
        if (cut)
        {
            length = MaxLogLength - 1;
            if (char.IsHighSurrogate(value[length - 1]))
            {
                length--; // never half a surrogate pair
            }
        }

        return string.Create(length + (cut ? 1 : 0), (value, cut), static (span, state) =>
        {
            var (text, wasCut) = state;
            var kept = wasCut ? span[..^1] : span;
            for (var i = 0; i < kept.Length; i++)
            {
                kept[i] = char.IsControl(text[i]) ? Replacement : text[i];
            }

            if (wasCut)
            {
                span[^1] = Cut;
            }
        });
    }
}
