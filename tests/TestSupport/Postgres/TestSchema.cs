using FlashFundX.Data.Database;
using FlashFundX.LocalDev.Seed;

namespace FlashFundX.TestSupport.Postgres;

/// <summary>What every test database holds before a test touches it: the schema of <c>sql/</c> and the demo price list.</summary>
public static class TestSchema
{
    /// <summary>Migrates an existing, empty database with the app's <see cref="DatabaseMigrator"/>, then loads <see cref="DemoTradingRules"/>.</summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await DatabaseMigrator.MigrateAsync(connectionString, ensureDatabase: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DemoTradingRules.LoadAsync(connectionString, cancellationToken).ConfigureAwait(false);
    }
}
