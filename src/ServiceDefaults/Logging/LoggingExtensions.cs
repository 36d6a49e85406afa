using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

namespace FlashFundX.ServiceDefaults.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog for the whole process: readable lines on a development terminal; compact JSON in every other
    /// environment and whenever output is redirected (containers, CI, log shippers). Scopes become properties, so Temporal's WorkflowId/RunId/ActivityType
    /// scopes and our OrderId reach every line. Each host gets its own logger (the static one is left alone), so
    /// several hosts in one process — the API with its worker in tests — never swap or mute each other's logs.
    /// </summary>
    public static IHostApplicationBuilder AddFulfillmentLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Application", builder.Environment.ApplicationName)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Npgsql", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Temporalio", Serilog.Events.LogEventLevel.Information);
            if (Console.IsOutputRedirected || !builder.Environment.IsDevelopment())
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
            }
        }, preserveStaticLogger: true);
        return builder;
    }
}
