namespace FlashFundX.TestSupport.Postgres;

/// <summary>
/// Name of the xunit collection that shares <see cref="PostgresFixture"/>. xunit only finds collection definitions in the
/// test assembly itself, so each test project adds the one-line definition shown on <see cref="PostgresFixture"/>.
/// </summary>
public static class PostgresTests
{
    public const string Collection = "PostgreSQL";
}
