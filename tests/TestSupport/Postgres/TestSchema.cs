using FlashFundX.Data.Database;
using FlashFundX.LocalDev.Seed;

namespace FlashFundX.TestSupport.Postgres;

/// <summary>What every test database holds before a test touches it: the schema of <c>sql/</c> and the demo price list.</summary>
public static class TestSchema
{
    /// <summary>Migrates an existing, empty database with the app's <see cref="DatabaseMigrator"/>, then loads <see cref="DemoProducts"/>.</summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await DatabaseMigrator.MigrateAsync(connectionString, ensureDatabase: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await LoadPriceListAsync(connectionString, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads <see cref="DemoProducts"/> alone, into a database migrated some other way (e.g. a published host's <c>migrate</c> verb).</summary>
    public static Task LoadPriceListAsync(string connectionString, CancellationToken cancellationToken = default) =>
        DemoProducts.LoadAsync(connectionString, cancellationToken);
}
