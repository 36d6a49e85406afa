using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// Every API test class shares one PostgreSQL server (a fresh database per class), one Temporal environment and one
/// NowPayments simulator. One collection, so classes run one after another on this small machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<TemporalTestEnvironment>, ICollectionFixture<SimulatorFixture>
{
    public const string Name = "Api";
}
