using FlashFundX.TestSupport.Temporal;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>Every workflow test class shares one Temporal environment; each test runs its own worker and task queue.</summary>
[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalTestEnvironment>
{
    public const string Name = "Temporal";
}
