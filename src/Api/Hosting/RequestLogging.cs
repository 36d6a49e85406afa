using Serilog;

namespace FlashFundX.Api.Hosting;

public static class RequestLogging
{
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
