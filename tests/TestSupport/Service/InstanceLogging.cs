using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.AspNetCore;
using Serilog.Extensions.Logging;

namespace FlashFundX.TestSupport.Service;

/// <summary>
/// Keeps each host's logs in its own Serilog pipeline when several hosts share one test process.
/// </summary>
/// <remarks>
/// The app registers Serilog with <c>AddSerilog(...)</c> without <c>preserveStaticLogger</c>: its <see cref="ILoggerFactory"/>
/// then writes through the static <c>Log.Logger</c>, which each host replaces when it starts (so every running host's
/// events go to the host built last) and silences with <c>Log.CloseAndFlush()</c> when it stops (so one instance's
/// shutdown mutes all the others). For one host per process that is harmless; for parallel instances it mixes and
/// loses logs. This binds the host's logger factory and request logging to the logger its own configuration built:
/// the same sinks, levels and enrichers, only not global.
/// </remarks>
internal static class InstanceLogging
{
    public static void BindToOwnLogger(IServiceCollection services)
    {
        services.AddSingleton<ILoggerFactory>(provider => new SerilogLoggerFactory(provider.GetRequiredService<Serilog.ILogger>(), dispose: false));
        services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((options, logger) => options.Logger = logger);
    }
}
