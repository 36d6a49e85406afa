using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Delivery;

/// <summary><see cref="InitialPhase.For"/> for every account type, as parallel arrays the delivery statement unnests.</summary>
internal sealed record PhaseTable(
    string[] PhaseTypes,
    string[] Phases,
    string[] ChallengeStatuses,
    string[] Phase1Statuses,
    string[] Phase2Statuses,
    string[] LiveStatuses)
{
    public static PhaseTable Build()
    {
        var types = Enum.GetValues<AccountType>();
        var phases = types.Select(InitialPhase.For).ToArray();
        return new PhaseTable(
            types.Select(t => WireName.Of(t)).ToArray(),
            phases.Select(p => WireName.Of(p.Phase)).ToArray(),
            phases.Select(p => WireName.Of(p.ChallengeStatus)).ToArray(),
            phases.Select(p => WireName.Of(p.Phase1Status)).ToArray(),
            phases.Select(p => WireName.Of(p.Phase2Status)).ToArray(),
            phases.Select(p => WireName.Of(p.LiveStatus)).ToArray());
    }
}
