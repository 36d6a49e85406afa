using FlashFundX.Observability.Metrics;
using FlashFundX.Worker.Hosting;
using FlashFundX.Worker.Logging;
using FlashFundX.Worker.Replay;

if (await ReplayCommand.TryRunAsync(args) is { } replayExit)
{
    return replayExit;
}

// appsettings.json is found beside the binary, wherever the process was started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddFulfillmentLogging();
builder.AddFulfillmentCore();
builder.AddFulfillmentObservability();
builder.AddFulfillmentWorker();

await builder.Build().RunAsync();
return 0;
