using System.Diagnostics;
using FlashFundX.LocalDev.Postgres;
using FlashFundX.TestSupport.Postgres;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the outage drill's own (never the process's shared one, which other tests use): a
/// throwaway <see cref="LocalPostgresCluster"/> that the drill stops with <c>pg_ctl stop -m immediate</c> (a crash:
/// connections cut, nothing flushed politely) and starts again on the same folder and port.
/// </summary>
public sealed class OutagePostgres : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;
    private readonly PostgresBinaries _binaries = PostgresBinaries.Locate();
    private LocalPostgresCluster? _restarted;

    private OutagePostgres(LocalPostgresCluster cluster) => _cluster = cluster;

    public int Port => _cluster.Port;

    /// <summary>
    /// Durable (fsync and synchronous commit on), unlike the shared test cluster: an immediate stop is a crash, and
    /// with <c>synchronous_commit=off</c> a crash loses transactions the server already reported committed — a
    /// reservation the workflow was told about would vanish, which no application can survive.
    /// </summary>
    public static async Task<OutagePostgres> StartAsync() =>
        new(await LocalPostgresCluster.StartAsync(new LocalPostgresOptions { Durable = true }));

    /// <summary>Creates a database on this cluster as every test database is prepared (<see cref="TestSchema"/>); returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string name)
    {
        var connectionString = await _cluster.CreateDatabaseAsync(name);
        await TestSchema.ApplyAsync(connectionString);
        return connectionString;
    }

    /// <summary>Stops the server at once (<c>-m immediate</c>): every connection is cut, new ones are refused.</summary>
    public Task StopAsync() => PgCtlAsync("-D", _cluster.DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");

    /// <summary>Starts the server again on the same data folder and port (crash recovery runs first).</summary>
    public async Task StartAgainAsync()
    {
        _restarted = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions
        {
            RootDirectory = _cluster.RootDirectory,
            Port = _cluster.Port,
            Durable = true,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_restarted is not null)
        {
            await _restarted.DisposeAsync();
        }
        // Stops the server if it still runs (a failed drill), then deletes the throwaway folder.
        await _cluster.DisposeAsync();
    }

    private async Task PgCtlAsync(params string[] arguments)
    {
        // As root, PostgreSQL's tools run as the postgres user (as LocalPostgresCluster runs them).
        var asRoot = OperatingSystem.IsLinux() && Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : _binaries.PgCtl)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", _binaries.PgCtl })
            {
                info.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
