using FlashFundX.Api;
using FlashFundX.DevHost.Hosting;
using FlashFundX.Worker.Hosting;

namespace FlashFundX.DevHost;

/// <summary>
/// The development run: provisions what is not configured, then the API (as its login role) and the worker (as the
/// database owner) in one process.
/// </summary>
public static class DevHostApplication
{
    public const string Name = "FlashFundX.DevHost";

    /// <summary>Provisions, registers and builds; the caller runs (or starts) the app, which stops what was provisioned.</summary>
    public static async Task<WebApplication> CreateAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = Environments.Development,
            // appsettings*.json beside the binary; the .localdev folder is found from there (the repository root above it).
            ContentRootPath = AppContext.BaseDirectory,
        });
        var environment = await DevelopmentEnvironment.ProvisionAsync(builder).ConfigureAwait(false);
        builder.AddFulfillmentApiHost();
        builder.Services.AddInProcessFulfillmentWorker(builder.Configuration, environment.OwnerConnectionString);

        var app = builder.Build();
        app.MapFulfillmentApi();
        return app;
    }
}
