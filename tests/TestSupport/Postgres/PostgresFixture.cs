using System.Globalization;
using System.Text;
using FlashFundX.Data.Database;
using Npgsql;
using Xunit;

namespace FlashFundX.TestSupport.Postgres;

/// <summary>
/// The PostgreSQL server tests run against: <c>FLASHFUNDX_TEST_POSTGRES</c> (a connection string with rights to create
/// databases) when set, else one throwaway local cluster per test process, shared by every fixture instance and stopped
/// when the process exits. Each test class (or test) asks for its own fresh, migrated database.
/// </summary>
/// <remarks>
/// Use as a collection fixture: each test project declares
/// <c>[CollectionDefinition(PostgresTests.Collection)] public sealed class PostgresCollectionDefinition : ICollectionFixture&lt;PostgresFixture&gt;;</c>
/// and its classes take <c>[Collection(PostgresTests.Collection)]</c>. Using it as a class fixture works too (still one server).
/// </remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "FLASHFUNDX_TEST_POSTGRES";

    private SharedPostgresServer? _server;

    /// <summary>Connection string of the server's maintenance database (the one databases are created from).</summary>
    public string ServerConnectionString => Server.AdminConnectionString;

    private SharedPostgresServer Server =>
        _server ?? throw new InvalidOperationException("PostgresFixture is not initialised; let xunit create it as a fixture.");

    public async Task InitializeAsync() => _server = await SharedPostgresServer.GetAsync().ConfigureAwait(false);

    /// <summary>Nothing to do: the shared server outlives fixtures and stops at process exit.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A new database with a unique name. Unless <paramref name="migrate"/> is false it is a copy of a template database
    /// prepared once for this process: migrated by the app's <see cref="DatabaseMigrator"/>, with the demo price list
    /// (<see cref="TestSchema"/>). With <paramref name="migrate"/> false it is empty.
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(
        string? label = null, bool migrate = true, CancellationToken cancellationToken = default)
    {
        var name = UniqueName(label);
        if (migrate)
        {
            // Cloning a database prepared once per process is much faster than migrating each one.
            var template = await Server.GetMigratedTemplateAsync().ConfigureAwait(false);
            await Server.ExecuteAdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Server.ExecuteAdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken).ConfigureAwait(false);
        }
        var connectionString = Server.ConnectionStringFor(name);
        var apiConnectionString = await Server.ApiConnectionStringForAsync(name).ConfigureAwait(false);
        DapperConventions.Apply();
        return new TestDatabase(
            name, connectionString, FulfillmentDataSource.Create(connectionString),
            apiConnectionString, FulfillmentDataSource.Create(apiConnectionString), Server);
    }

    internal static string UniqueName(string? label)
    {
        var builder = new StringBuilder("ffx_t_");
        foreach (var c in (label ?? string.Empty).ToLowerInvariant())
        {
            if (builder.Length >= 36)
            {
                break;
            }
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        builder.Append('_').Append(Guid.NewGuid().ToString("N")[..12]);
        return builder.ToString().ToLower(CultureInfo.InvariantCulture);
    }
}
