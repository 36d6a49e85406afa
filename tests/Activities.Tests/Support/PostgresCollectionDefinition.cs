using FlashFundX.TestSupport.Postgres;

namespace FlashFundX.Activities.Tests.Support;

[CollectionDefinition(PostgresTests.Collection)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>;
