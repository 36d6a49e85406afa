using FlashFundX.Api;
using FlashFundX.DevHost.Hosting;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Worker.Hosting;

// The development run: provisions what is not configured, then the API and the worker in this one process.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    EnvironmentName = Environments.Development,
    // appsettings*.json beside the binary; the .localdev folder is found from there (the repository root above it).
    ContentRootPath = AppContext.BaseDirectory,
});
await DevelopmentEnvironment.ProvisionAsync(builder);
builder.AddFulfillmentApiHost();
builder.Services.AddFulfillmentWorker(builder.Configuration);

var app = builder.Build();
app.MapFulfillmentApi();
return await StartupSettings.RunAsync(app, "FlashFundX.DevHost");
