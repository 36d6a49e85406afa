using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace FlashFundX.Api.Hosting;

/// <summary>
/// The level of a request's log line. Successful health probes and acknowledged IPNs are Debug: probes arrive every few
/// seconds and say nothing, and each stored IPN is logged by the webhook itself with its order, payment and status.
/// Failures and every other request stay visible.
/// </summary>
internal static class RequestLogLevel
{
    public static LogEventLevel For(HttpContext context, double elapsedMilliseconds, Exception? exception)
    {
        var status = context.Response.StatusCode;
        if (exception is not null || status >= StatusCodes.Status500InternalServerError)
        {
            return LogEventLevel.Error;
        }
        if (status < StatusCodes.Status400BadRequest && IsQuiet(context.Request.Path))
        {
            return LogEventLevel.Debug;
        }
        return LogEventLevel.Information;
    }

    private static bool IsQuiet(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase);
}
