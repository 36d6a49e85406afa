using FlashFundX.Worker.Hosting;
using FlashFundX.Worker.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.AddFulfillmentLogging();
builder.AddFulfillmentCore();
builder.AddFulfillmentWorker();

await builder.Build().RunAsync();
