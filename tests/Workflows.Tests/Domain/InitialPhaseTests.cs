using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Tests.Domain;

public sealed class InitialPhaseTests
{
    [Theory]
    [InlineData(AccountType.Instant, AccountPhase.Live)]
    [InlineData(AccountType.OneStep, AccountPhase.Challenge)]
    [InlineData(AccountType.Hft, AccountPhase.Challenge)]
    [InlineData(AccountType.TwoStep, AccountPhase.Phase1)]
    public void For_AccountType_StartsInItsPhase(AccountType type, AccountPhase expected)
    {
        var initial = InitialPhase.For(type);

        Assert.Equal(expected, initial.Phase);
    }

    [Theory]
    [InlineData(AccountType.Instant)]
    [InlineData(AccountType.OneStep)]
    [InlineData(AccountType.Hft)]
    [InlineData(AccountType.TwoStep)]
    public void For_AccountType_OnlyTheStartingPhaseIsActive(AccountType type)
    {
        var initial = InitialPhase.For(type);

        var statuses = new Dictionary<AccountPhase, PhaseStatus>
        {
            [AccountPhase.Challenge] = initial.ChallengeStatus,
            [AccountPhase.Phase1] = initial.Phase1Status,
            [AccountPhase.Phase2] = initial.Phase2Status,
            [AccountPhase.Live] = initial.LiveStatus,
        };
        Assert.Equal(PhaseStatus.Active, statuses[initial.Phase]);
        Assert.All(statuses.Where(s => s.Key != initial.Phase), s => Assert.Equal(PhaseStatus.Pending, s.Value));
    }

    [Fact]
    public void WireName_Phase1_IsSnakeCase()
    {
        var name = WireName.Of(AccountPhase.Phase1);

        Assert.Equal("phase_1", name);
    }
}
