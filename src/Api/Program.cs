using FlashFundX.Api;
using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.ServiceDefaults.Settings;

if (await MigrateCommand.TryRunAsync(args, ApiHost.ApplicationName) is { } migrateExit)
{
    return migrateExit;
}

var app = ApiHost.CreateBuilder(args).Build();
app.MapFulfillmentApi();
return await StartupSettings.RunAsync(app, ApiHost.ApplicationName);

/// <summary>Entry point, public so tests can host the API with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
