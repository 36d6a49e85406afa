using System.Text.RegularExpressions;

namespace FlashFundX.Ops.Tests.Deploy;

/// <summary>
/// Compose's variable interpolation (<c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:?message}</c>, <c>${VAR?message}</c>, <c>$$</c>), enough to see what a service's environment becomes.
/// </summary>
public static partial class ComposeInterpolation
{
    /// <summary>Every variable a text interpolates, e.g. to check that <c>.env.example</c> lists them.</summary>
    public static IReadOnlySet<string> VariablesIn(string text) =>
        Expression().Matches(text).Where(m => !m.Groups["escape"].Success).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Interpolates <paramref name="value"/> with <paramref name="variables"/>; a variable marked required (<c>?</c>) that is
    /// not there fails with the file's own message, as <c>docker compose</c> does.
    /// </summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> variables) =>
        Expression().Replace(value, match =>
        {
            if (match.Groups["escape"].Success)
            {
                return "$";
            }
            var name = match.Groups["name"].Value;
            var found = variables.TryGetValue(name, out var given);
            var emptyCounts = match.Groups["colon"].Success; // ':-' and ':?' treat an empty value as unset
            var set = found && (!emptyCounts || given!.Length > 0);
            return match.Groups["op"].Value switch
            {
                "-" => set ? given! : match.Groups["arg"].Value,
                "?" => set ? given! : throw new InvalidOperationException($"${{{name}}} is required: {match.Groups["arg"].Value}"),
                _ => found ? given! : "",
            };
        });

    [GeneratedRegex(@"(?<escape>\$\$)|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<colon>:)?(?<op>[-?])(?<arg>[^}]*))?\}|\$(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Expression();
}
