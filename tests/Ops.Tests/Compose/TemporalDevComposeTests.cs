using FlashFundX.Ops.Tests.Support;

namespace FlashFundX.Ops.Tests.Compose;

/// <summary>temporal-dev.yml must start the dev server the way the code expects it: our search attributes, gRPC 7233, UI 8233.</summary>
public sealed class TemporalDevComposeTests
{
    private static readonly ComposeService Temporal = ComposeFile.Load("temporal-dev.yml")["temporal"];

    [Fact]
    public void SearchAttributes_MatchOrderSearchAttributes()
    {
        var declared = Temporal.SearchAttributes();

        Assert.Equal(ComposeService.ExpectedSearchAttributes.OrderBy(e => e.Key), declared.OrderBy(d => d.Key));
    }

    [Theory]
    [InlineData("--port", "7233")]
    [InlineData("--ui-port", "8233")]
    public void Command_ListensOnTemporalDefaultPorts(string flag, string port)
    {
        Assert.Contains($"{flag}={port}", Temporal.Command);
    }

    [Theory]
    [InlineData("7233:7233")]
    [InlineData("8233:8233")]
    public void Ports_PublishGrpcAndWebUi(string mapping)
    {
        Assert.Contains(mapping, Temporal.Ports);
    }
}
