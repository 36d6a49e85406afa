using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.Worker.Hosting;

namespace FlashFundX.Worker;

/// <summary>The production worker process: the service defaults and the Temporal worker. It provisions nothing.</summary>
public static class WorkerHost
{
    public const string ApplicationName = "FlashFundX.Worker";

    /// <summary>The fully registered builder; building it connects to nothing.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        // appsettings.json is found beside the binary, wherever the process was started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddFulfillmentServiceDefaults();
        builder.AddFulfillmentWorker();
        return builder;
    }
}
