using FlashFundX.Observability.Metrics;
using FlashFundX.Worker.Hosting;
using FlashFundX.Worker.Logging;
using FlashFundX.Worker.Replay;

if (await ReplayCommand.TryRunAsync(args) is { } replayExit)
{
    return replayExit;
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddFulfillmentLogging();
builder.AddFulfillmentCore();
builder.AddFulfillmentObservability();
builder.AddFulfillmentWorker();

await builder.Build().RunAsync();
return 0;
