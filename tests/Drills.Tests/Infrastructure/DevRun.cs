using System.Globalization;
using System.Text.RegularExpressions;
using FlashFundX.TestSupport.Processes;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// The development run (<c>dotnet run --project src/DevHost</c>) as a child process on a folder of its own
/// (<c>LocalDev:Folder</c>, instead of the checkout's <c>.localdev</c>): it provisions its PostgreSQL cluster, embedded
/// Temporal server (time skipping, so a drill can move its clock), NowPayments simulator, mail sink and secrets there.
/// Started again on the same folder and port, it is the same development setup after a restart.
/// </summary>
public sealed partial class DevRun : IDisposable
{
    private const string Ready = "FlashFundX fulfillment is running";
    private readonly HostProcess _process;

    private DevRun(HostProcess process, string folder, Uri api, string temporal, Uri simulator)
    {
        _process = process;
        Folder = folder;
        Api = api;
        TemporalAddress = temporal;
        Simulator = simulator;
    }

    public string Folder { get; }

    public Uri Api { get; }

    /// <summary>The embedded Temporal server's <c>host:port</c>, as the banner shows it.</summary>
    public string TemporalAddress { get; }

    /// <summary>The local NowPayments simulator, as the banner shows it (with a trailing slash).</summary>
    public Uri Simulator { get; }

    public int Pid => _process.Pid;

    /// <summary>The dev secret <c>Auth:SigningKey</c> the run generated in its folder: tokens signed with it are accepted.</summary>
    public string SigningKey => File.ReadAllText(Path.Combine(Folder, "dev-signing-key")).Trim();

    /// <summary>Starts the run and waits until it printed its banner (the price list is loaded then).</summary>
    public static async Task<DevRun> StartAsync(string folder, int port, TimeSpan timeout)
    {
        var process = HostProcess.Start([HostBinaries.DevHost, $"--urls=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"], new Dictionary<string, string>
        {
            ["LocalDev__Folder"] = folder,
            ["LocalDev__TemporalTimeSkipping"] = "true",
            // No stock at all: paid orders wait for it until the drill imports some.
            ["Demo__SeedInventory"] = "false",
            // The reconciler's first pass at start leaves orders younger than MinOrderAge to the next: the drill's are
            // seconds old when the run restarts.
            ["Reconciler__MinOrderAge"] = "00:00:05",
            ["Reconciler__Interval"] = "00:00:02",
        });
        try
        {
            await process.WaitForLineAsync(line => line.Contains(Ready, StringComparison.Ordinal), timeout, "announcing the development run").ConfigureAwait(false);
            var temporal = TemporalLine().Match(await process.WaitForLineAsync(l => TemporalLine().IsMatch(l), timeout, "naming Temporal").ConfigureAwait(false));
            var simulator = SimulatorLine().Match(await process.WaitForLineAsync(l => SimulatorLine().IsMatch(l), timeout, "naming the simulator").ConfigureAwait(false));
            return new DevRun(process, folder, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"),
                temporal.Groups[1].Value, new Uri(simulator.Groups[1].Value + "/"));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL to the run and every process it started: nothing is stopped or flushed.</summary>
    public void Kill() => _process.Kill();

    public string Tail(int lines = 60) => _process.Tail(lines);

    public void Dispose() => _process.Dispose();

    [GeneratedRegex(@"^\s+Temporal\s+(\S+) \(embedded\)", RegexOptions.CultureInvariant)]
    private static partial Regex TemporalLine();

    [GeneratedRegex(@"^\s+NowPayments\s+(http://\S+) \(local simulator\)", RegexOptions.CultureInvariant)]
    private static partial Regex SimulatorLine();
}
