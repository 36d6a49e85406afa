using FlashFundX.EmbeddedTemporal;
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
        await using var server = await EmbeddedTemporalServer.StartAsync(new EmbeddedTemporalOptions
        {
            Port = port,
            TimeSkipping = timeSkipping,
            StartUnlocked = true,
            LoggerFactory = loggerFactory,
        });
        Console.WriteLine($"Embedded Temporal server on {server.Target}, namespace 'default'. Ctrl+C to stop.");
        var stopped = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopped.TrySetResult();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
        await stopped.Task;
        return 0;
    }
}
