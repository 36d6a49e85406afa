namespace FlashFundX.Workflows.Domain;

/// <summary>The phase a freshly delivered account starts in, with the status of every phase.</summary>
public sealed record InitialPhase(
    AccountPhase Phase,
    PhaseStatus ChallengeStatus,
    PhaseStatus Phase1Status,
    PhaseStatus Phase2Status,
    PhaseStatus LiveStatus)
{
    public static InitialPhase For(AccountType type) => type switch
    {
        AccountType.Instant => new(AccountPhase.Live, PhaseStatus.Pending, PhaseStatus.Pending, PhaseStatus.Pending, PhaseStatus.Active),
        AccountType.OneStep or AccountType.Hft => new(AccountPhase.Challenge, PhaseStatus.Active, PhaseStatus.Pending, PhaseStatus.Pending, PhaseStatus.Pending),
        AccountType.TwoStep => new(AccountPhase.Phase1, PhaseStatus.Pending, PhaseStatus.Active, PhaseStatus.Pending, PhaseStatus.Pending),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown account type."),
    };
}
