using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FlashFundX.NowPayments.Simulator;

/// <summary>
/// Standalone: <c>dotnet run --project src/NowPayments.Simulator -- --port 5090 [--api-key K] [--ipn-secret S] [--state-file F]</c>
/// (or <c>NOWPAYMENTS_SIM_PORT</c>, <c>NOWPAYMENTS_SIM_API_KEY</c>, <c>NOWPAYMENTS_SIM_IPN_SECRET</c>).
/// A named class rather than top-level statements, so no global <c>Program</c> type clashes with the API host that references this project.
/// </summary>
internal static class SimulatorProgram
{
    public const string DefaultApiKey = "sim-api-key";
    public const string DefaultIpnSecret = "sim-ipn-secret";

    public static async Task<int> Main(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddEnvironmentVariables("NOWPAYMENTS_SIM_")
            .AddCommandLine(args, new Dictionary<string, string>
            {
                ["--port"] = "port",
                ["--api-key"] = "api_key",
                ["--ipn-secret"] = "ipn_secret",
                ["--state-file"] = "state_file",
            })
            .Build();

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning));
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await using var simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
        {
            Port = int.Parse(config["port"] ?? "5090", CultureInfo.InvariantCulture),
            ApiKey = config["api_key"] ?? DefaultApiKey,
            IpnSecret = config["ipn_secret"] ?? DefaultIpnSecret,
            StateFile = config["state_file"],
            LoggerFactory = loggerFactory,
        });

        Console.WriteLine($"""
            NowPayments simulator on {simulator.BaseUrl} (API key and IPN secret: --api-key/--ipn-secret, defaults in README.md)
              pay an order:  curl -X POST {simulator.BaseUrl}/simulator/orders/<FFX order id>/pay
              partial:       curl -X POST '{simulator.BaseUrl}/simulator/orders/<FFX order id>/pay?status=partially_paid'
              invoices:      curl {simulator.BaseUrl}/simulator/invoices
            Ctrl+C stops.
            """);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        return 0;
    }
}
