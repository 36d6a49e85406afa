using Npgsql;

namespace FlashFundX.LocalDev.Seed;

/// <summary>
/// The invented price list (<c>sql/seed/demo-trading-rules.sql</c>, embedded in this assembly), loaded into a migrated
/// database by the development run at every start and by the test support for every test, drill and bench database.
/// It is seed data, not a migration: the migrations in <c>sql/</c> create an empty <c>trading_rules</c> table, and only
/// local development and tests reach this class. Loading again adds only the sizes missing from the list.
/// </summary>
public static class DemoTradingRules
{
    private const string ScriptResource = "FlashFundX.LocalDev.Seed.demo-trading-rules.sql";

    private static readonly Lazy<string> Script = new(ReadScript);

    /// <summary>Adds the demo price list's rows that the database lacks; returns how many it added.</summary>
    public static async Task<int> LoadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = new NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand(Script.Value, connection);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string ReadScript()
    {
        using var stream = typeof(DemoTradingRules).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"Embedded resource {ScriptResource} is missing from {typeof(DemoTradingRules).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
