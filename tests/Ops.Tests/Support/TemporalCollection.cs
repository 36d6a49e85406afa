using FlashFundX.TestSupport.Temporal;

namespace FlashFundX.Ops.Tests.Support;

/// <summary>Tests that need a Temporal server share one environment (embedded unless TEMPORAL_ADDRESS or the CLI is there).</summary>
[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalTestEnvironment>
{
    public const string Name = "Temporal";
}
