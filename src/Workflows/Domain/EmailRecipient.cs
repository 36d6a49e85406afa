namespace FlashFundX.Workflows.Domain;

/// <summary>
/// Whether a text (a token's <c>email</c> claim, a stored user's e-mail) may be used as a mail recipient: one plain
/// address <c>local@domain</c>, no display name, list, comment, quoted local part or IP-literal domain, at most 254
/// characters (64 before the <c>@</c>), a domain of at least two labels of letters, digits and inner hyphens.
/// Stricter than RFC 5322 on purpose: what passes cannot smuggle a second recipient or a header into a mail.
/// </summary>
public static class EmailRecipient
{
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    private const string Forbidden = "<>()[]\\,;:\"@ ";

    public static bool IsValid(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > MaxLength)
        {
            return false;
        }
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at > MaxLocalPartLength || at != address.LastIndexOf('@'))
        {
            return false;
        }
        return IsLocalPart(address.AsSpan(0, at)) && IsDomain(address.AsSpan(at + 1));
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local)
    {
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in local)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || Forbidden.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var labels = 0;
        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            foreach (var c in label)
            {
                if (!char.IsLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
            labels++;
        }
        return labels >= 2;
    }
}
