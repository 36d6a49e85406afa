using FlashFundX.TestSupport.Postgres;
using Xunit;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// Every API test class runs in one collection, so classes run one after another on this small machine. Each class
/// starts its own <see cref="FlashFundX.TestSupport.Service.FulfillmentService"/> (fresh database on the process's
/// PostgreSQL server, own task queue on the process's Temporal environment, own NowPayments simulator); the
/// row-level-security tests take a bare database from the shared <see cref="PostgresFixture"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Api";
}
