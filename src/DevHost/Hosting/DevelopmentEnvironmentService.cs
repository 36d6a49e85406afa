using FlashFundX.Data.Database;
using FlashFundX.DevHost.Seed;
using FlashFundX.LocalDev.Seed;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashFundX.DevHost.Hosting;

/// <summary>
/// Once the local service listens (and its database is migrated): loads the demo price list and inventory and prints how
/// to use the service; stops what the dev environment started when the host stops.
/// </summary>
internal sealed class DevelopmentEnvironmentService(
    DevelopmentEnvironment environment,
    IHostApplicationLifetime lifetime,
    IServer server,
    DevelopmentBanner banner,
    FulfillmentDatabase database,
    DemoInventorySeeder seeder,
    IConfiguration configuration,
    ILogger<DevelopmentEnvironmentService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Seeding waits for ApplicationStarted: the migrations run in a hosted service registered after this one.
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The price list first: orders are priced from it, and the demo inventory offers its sizes.
            var rules = await DemoProducts.LoadAsync(database.ConnectionString, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Demo price list: {Added} trading rules added", rules);
            if (configuration.GetValue("Demo:SeedInventory", true))
            {
                var seeded = await seeder.SeedAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Demo inventory: {Imported} accounts added, {Skipped} already there", seeded.Imported, seeded.Skipped);
            }
            var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? environment.AppUrl;
            await Console.Out.WriteAsync(banner.Render(url.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal))).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Preparing the development environment failed");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await environment.DisposeAsync().ConfigureAwait(false);
}
