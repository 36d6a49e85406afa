using FlashFundX.EmbeddedTemporal;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal;

/// <summary>
/// Standalone entry point. A named class rather than top-level statements, so this assembly adds no global
/// <c>Program</c> type that would clash with the API's in projects referencing both.
/// </summary>
internal static class EmbeddedTemporalProgram
{
    public static async Task<int> Main(string[] args)
    {
        // Standalone mode, like `temporal server start-dev`: dotnet run --project src/EmbeddedTemporal -- --port 7233 [--time-skipping]
        var port = 7233;
        var timeSkipping = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length:
                    port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--time-skipping":
                    timeSkipping = true;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: --port <port> [--time-skipping]");
                    return 2;
            }
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            // Stop here rather than at the runtime's default handling, so the server is disposed and the process exits 0.
            context.Cancel = true;
            stop.TrySetResult();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        await using var server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions
        {
            Port = port,
            TimeSkipping = timeSkipping,
            LoggerFactory = loggerFactory,
        });
        var skipping = timeSkipping ? " Time skipping is locked until a client unlocks it." : "";
        Console.WriteLine($"Embedded Temporal server on {server.Target}, namespace 'default'.{skipping} Ctrl+C or SIGTERM to stop.");
        await stop.Task;
        return 0;
    }
}
