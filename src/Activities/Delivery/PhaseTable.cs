using System.Globalization;
using System.Text.RegularExpressions;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Delivery;

/// <summary>
/// <see cref="InitialPhase.For"/> for every account type as a <c>phase</c> CTE of constants that opens a WITH list.
/// Written into the statement text once per process rather than bound as six array parameters on every call: the
/// values never change while the process runs, and constants spare both sides encoding, decoding and unnesting them
/// (bench/RESULTS.md, "2026-12-03, 07:23–08:12 UTC", item 1).
/// </summary>
internal static partial class PhaseTable
{
    public static string Cte { get; } = Build();

    private static string Build()
    {
        var rows = Enum.GetValues<AccountType>().Select(type =>
        {
            var phase = InitialPhase.For(type);
            string[] values =
            [
                WireName.Of(type), WireName.Of(phase.Phase), WireName.Of(phase.ChallengeStatus),
                WireName.Of(phase.Phase1Status), WireName.Of(phase.Phase2Status), WireName.Of(phase.LiveStatus),
            ];
            return "(" + string.Join(", ", values.Select(Literal)) + ")";
        });
        return "WITH phase (account_type, current_phase, challenge_status, phase_1_status, phase_2_status, live_status) AS (\n"
            + "    VALUES " + string.Join(",\n           ", rows) + "\n)\n";
    }

    // Wire names are lower snake case by construction; the check keeps anything else out of the statement text.
    private static string Literal(string value) => WireNamePattern().IsMatch(value)
        ? string.Create(CultureInfo.InvariantCulture, $"'{value}'")
        : throw new InvalidOperationException($"The wire name '{value}' is not lower snake case.");

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex WireNamePattern();
}
