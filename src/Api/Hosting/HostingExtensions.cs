using FlashFundX.Observability.Metrics;
using FlashFundX.Worker.Hosting;
using FlashFundX.Worker.Logging;
using Serilog;

namespace FlashFundX.Api.Hosting;

/// <summary>Infrastructure every API process needs: logging, database, Temporal client, optionally the worker, and the dev environment.</summary>
public static class HostingExtensions
{
    public static async Task AddFulfillmentHostingAsync(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Environment.IsDevelopment())
        {
            await DevelopmentEnvironment.ProvisionAsync(builder).ConfigureAwait(false);
        }

        builder.AddFulfillmentLogging();
        builder.AddFulfillmentCore();
        builder.AddFulfillmentObservability();
        // Development hosts the worker in this process; elsewhere src/Worker processes run it unless asked otherwise.
        if (builder.Configuration.GetValue("Worker:InProcess", false))
        {
            builder.AddFulfillmentWorker();
        }
    }

    public static Task RunFulfillmentAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.RunAsync();
    }

    /// <summary>Request logging: one line per request with status and elapsed time, at <see cref="RequestLogLevel"/>.</summary>
    public static WebApplication UseFulfillmentRequestLogging(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.GetLevel = RequestLogLevel.For;
        });
        return app;
    }
}
