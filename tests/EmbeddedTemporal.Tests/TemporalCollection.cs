using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>All conformance tests share one server and run one after another (time skipping is server-wide).</summary>
[CollectionDefinition(Name)]
public sealed class TemporalCollection : ICollectionFixture<TemporalTestEnvironment>
{
    public const string Name = "Temporal";
}
