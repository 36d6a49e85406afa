using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FlashFundX.LocalDev.Postgres;

/// <summary>
/// A PostgreSQL cluster on 127.0.0.1 run from the local server binaries: throwaway (temp folder, deleted on dispose)
/// or persistent (a folder that keeps its data and port across runs). Stopped on dispose if this instance started it;
/// a cluster already running in the same folder is attached to and left running.
/// </summary>
/// <remarks>
/// As root the server runs as the <c>postgres</c> user, which must reach the cluster's folder. When it cannot (a clone
/// inside a mode-700 /root), a persistent cluster lives in a folder of its own under that user's home, keyed by the
/// requested path so a restart finds it again, and the requested folder's <c>data-location</c> file names it; a
/// throwaway cluster whose temp folder (TMPDIR) is out of reach goes to /tmp.
/// </remarks>
public sealed partial class LocalPostgresCluster : IAsyncDisposable
{
    private const string PortFileName = "port";
    private const string DataFolderName = "data";
    private const string SocketFolderName = "run";
    private const string LogFileName = "postgres.log";
    private const string LocationFileName = "data-location";
    private const string RequestedByFileName = "requested-folder";
    private const string RelocatedFolderName = "flashfundx-dev";
    private const string SharedTempFolder = "/tmp";
    private const int MaxUnixSocketPath = 100;

    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    private readonly bool _throwaway;
    private int _stopped;

    private LocalPostgresCluster(
        PostgresBinaries binaries, string rootDirectory, int port, bool ownsServer, bool throwaway, ILogger logger)
    {
        _binaries = binaries;
        RootDirectory = rootDirectory;
        Port = port;
        OwnsServer = ownsServer;
        _throwaway = throwaway;
        _logger = logger;
        ConnectionString = ConnectionStringFor("postgres");
        if (ownsServer)
        {
            // Best effort for a test host that exits without disposing its fixtures.
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }
    }

    /// <summary>Where the cluster lives: the requested folder, or where it was moved for the postgres user (see remarks).</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, DataFolderName);

    public int Port { get; }

    /// <summary>True when this instance started the server (and stops it on dispose).</summary>
    public bool OwnsServer { get; }

    /// <summary>Superuser connection string for the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = true,
        MaxPoolSize = 100,
    }.ConnectionString;

    public static async Task<LocalPostgresCluster> StartAsync(
        LocalPostgresOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= LocalPostgresOptions.Throwaway();
        logger ??= NullLogger.Instance;
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        var throwaway = options.RootDirectory is null;
        if (throwaway)
        {
            SweepStaleThrowawayFolders();
        }
        var root = throwaway
            ? await ThrowawayRootAsync(cancellationToken).ConfigureAwait(false)
            : await PersistentRootAsync(FullPath(options.RootDirectory!), logger, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(root);

        var running = await TryAttachAsync(binaries, root, cancellationToken).ConfigureAwait(false);
        if (running is int runningPort)
        {
            LogReusing(logger, root, runningPort);
            var attached = new LocalPostgresCluster(binaries, root, runningPort, ownsServer: false, throwaway: false, logger);
            await attached.WaitReadyAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
            return attached;
        }

        try
        {
            var socketDir = SocketDirectoryFor(root);
            Directory.CreateDirectory(socketDir);
            await ToolRunner.HandOverAsync(root, cancellationToken).ConfigureAwait(false);
            if (!IsSameOrUnder(socketDir, root))
            {
                await ToolRunner.HandOverAsync(socketDir, cancellationToken).ConfigureAwait(false);
            }

            var dataDir = Path.Combine(root, DataFolderName);
            if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
            {
                LogInitialising(logger, dataDir);
                await ToolRunner.RunCheckedAsync(
                    binaries.InitDb,
                    ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-instructions"],
                    TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            }

            var port = ChoosePort(root, options.Port);
            await StartServerAsync(binaries, root, socketDir, port, options, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(root, PortFileName), port.ToString(CultureInfo.InvariantCulture), cancellationToken)
                .ConfigureAwait(false);

            var cluster = new LocalPostgresCluster(binaries, root, port, ownsServer: true, throwaway, logger);
            await cluster.WaitReadyAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
            LogRunning(logger, dataDir, port);
            return cluster;
        }
        catch when (throwaway)
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>Creates the database if it does not exist yet and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid database name (lower-case letters, digits, underscores).", nameof(name));
        }
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            var command = dataSource.CreateCommand($"CREATE DATABASE \"{name}\"");
            await using (command.ConfigureAwait(false))
            {
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
                {
                    // Already there: creating is idempotent.
                }
            }
        }
        return ConnectionStringFor(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        NpgsqlConnection.ClearAllPools();
        if (OwnsServer)
        {
            var (exitCode, output) = await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
            if (exitCode != 0)
            {
                LogStopFailed(_logger, DataDirectory, output);
            }
        }
        if (_throwaway)
        {
            TryDelete(RootDirectory);
        }
    }

    /// <summary>
    /// Stops the server even when this instance only attached to it, e.g. the cluster of a development run that was
    /// killed (the server is not among the run's child processes, so it outlives the run).
    /// </summary>
    /// <exception cref="InvalidOperationException">pg_ctl could not stop it.</exception>
    public async Task StopServerAsync(CancellationToken cancellationToken = default)
    {
        NpgsqlConnection.ClearAllPools();
        var (exitCode, output) = await StopCoreAsync(cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop in {DataDirectory} exited with {exitCode}: {output}");
        }
    }

    private Task<(int ExitCode, string Output)> StopCoreAsync(CancellationToken cancellationToken) =>
        ToolRunner.RunAsync(_binaries.PgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(40), cancellationToken);

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        ToolRunner.RunAsync(_binaries.PgCtl, ["-D", DataDirectory, "-m", "immediate", "-w", "stop"],
            TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
        if (_throwaway)
        {
            TryDelete(RootDirectory);
        }
    }

    private static async Task<string> ThrowawayRootAsync(CancellationToken cancellationToken)
    {
        var name = $"ffx-pg-{Guid.NewGuid().ToString("N")[..12]}";
        var temp = Path.GetTempPath();
        var parent = await ToolRunner.CanReachAsync(temp, cancellationToken).ConfigureAwait(false) ? temp : SharedTempFolder;
        return FullPath(Path.Combine(parent, name));
    }

    /// <summary>The requested folder when the tools can reach it, else a stable folder keyed by its path (see remarks).</summary>
    private static async Task<string> PersistentRootAsync(string requested, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(requested);
        var locationFile = Path.Combine(requested, LocationFileName);
        if (await ToolRunner.CanReachAsync(requested, cancellationToken).ConfigureAwait(false))
        {
            // A pointer left from a time the folder was out of reach would lie about where the data is.
            File.Delete(locationFile);
            return requested;
        }

        // The postgres user's home is that user's own and persistent; /var/tmp (cleaned of long-unused files on some
        // systems) only when it has none.
        var parent = Path.Combine(ToolRunner.ServiceUserHome() ?? "/var/tmp", RelocatedFolderName);
        Directory.CreateDirectory(parent);
        if (!OperatingSystem.IsWindows())
        {
            // Traversable by the postgres user whatever root's umask.
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        var root = Path.Combine(parent, ShortHash(requested));
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, RequestedByFileName), requested + Environment.NewLine, cancellationToken)
            .ConfigureAwait(false);
        await File.WriteAllTextAsync(locationFile, root + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        LogRelocated(logger, requested, root, locationFile);
        return root;
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 };
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(builder.ConnectionString);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task StartServerAsync(
        PostgresBinaries binaries, string root, string socketDir, int port, LocalPostgresOptions options,
        CancellationToken cancellationToken)
    {
        var serverOptions = $"-p {port} -k '{socketDir}' -c listen_addresses=127.0.0.1 -c max_connections={options.MaxConnections}";
        if (!options.Durable)
        {
            serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }
        var timeoutSeconds = (int)options.StartTimeout.TotalSeconds;
        var (exitCode, output) = await ToolRunner.RunAsync(
            binaries.PgCtl,
            ["-D", Path.Combine(root, DataFolderName), "-l", Path.Combine(root, LogFileName), "-o", serverOptions,
             "-w", "-t", timeoutSeconds.ToString(CultureInfo.InvariantCulture), "start"],
            options.StartTimeout + TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var log = ReadLogTail(Path.Combine(root, LogFileName));
            throw new InvalidOperationException(
                $"PostgreSQL did not start in {root} on port {port} (pg_ctl exit code {exitCode}): {output}{Environment.NewLine}{log}");
        }
    }

    /// <summary>The port of a server already running on this data directory, or null when none is.</summary>
    private static async Task<int?> TryAttachAsync(PostgresBinaries binaries, string root, CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(root, DataFolderName);
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }
        var (exitCode, _) = await ToolRunner.RunAsync(binaries.PgCtl, ["-D", dataDir, "status"], TimeSpan.FromSeconds(10), cancellationToken)
            .ConfigureAwait(false);
        if (exitCode != 0)
        {
            return null;
        }
        // postmaster.pid line 4 is the port.
        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken).ConfigureAwait(false);
        return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
    }

    private static int ChoosePort(string root, int? requested)
    {
        if (requested is int fixedPort)
        {
            return LoopbackPorts.IsFree(fixedPort)
                ? fixedPort
                : throw new InvalidOperationException($"Port {fixedPort} on 127.0.0.1 is in use; choose another port for the local PostgreSQL cluster.");
        }
        var portFile = Path.Combine(root, PortFileName);
        if (File.Exists(portFile)
            && int.TryParse(File.ReadAllText(portFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remembered)
            && LoopbackPorts.IsFree(remembered))
        {
            return remembered;
        }
        return LoopbackPorts.Free();
    }

    /// <summary>Unix socket paths are limited to ~107 bytes; a deep project folder falls back to a short path in /tmp.</summary>
    private static string SocketDirectoryFor(string root)
    {
        var preferred = Path.Combine(root, SocketFolderName);
        if (preferred.Length + ".s.PGSQL.65535".Length + 1 <= MaxUnixSocketPath)
        {
            return preferred;
        }
        return Path.Combine(SharedTempFolder, $"ffx-pg-{ShortHash(root)}");
    }

    /// <summary>Absolute, without a trailing separator: one spelling per folder (the relocated folder is keyed by it).</summary>
    private static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static string ShortHash(string path) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path)))[..12]
            .ToLowerInvariant();

    private static bool IsSameOrUnder(string path, string root) =>
        path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string ReadLogTail(string logFile)
    {
        try
        {
            return File.Exists(logFile) ? string.Join(Environment.NewLine, File.ReadLines(logFile).TakeLast(20)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// Throwaway folders whose process died before cleaning up (a killed test host) are removed on the next start:
    /// only ours (<c>ffx-pg-*</c> in the temp folder or /tmp), only stopped ones (the port file is written after start, and a
    /// running or crashed server leaves postmaster.pid), and only when untouched for a minute.
    /// </summary>
    private static void SweepStaleThrowawayFolders()
    {
        foreach (var parent in new[] { Path.GetTempPath(), SharedTempFolder }.Select(FullPath).Distinct())
        {
            SweepStaleThrowawayFolders(parent);
        }
    }

    private static void SweepStaleThrowawayFolders(string parent)
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(parent, "ffx-pg-*"))
            {
                var stale = Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddMinutes(-1)
                    && File.Exists(Path.Combine(dir, PortFileName))
                    && !File.Exists(Path.Combine(dir, DataFolderName, "postmaster.pid"));
                if (stale)
                {
                    TryDelete(dir);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Sweeping is a courtesy.
        }
    }

    private static void TryDelete(string directory)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The server's last processes may still be closing files; a leftover folder is swept on a later start.
                Thread.Sleep(100 * attempt);
            }
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the PostgreSQL cluster already running in {DataDirectory} on port {Port}")]
    private static partial void LogReusing(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The postgres user cannot reach {RequestedDirectory}; the PostgreSQL cluster lives in {RootDirectory} instead (recorded in {LocationFile})")]
    private static partial void LogRelocated(ILogger logger, string requestedDirectory, string rootDirectory, string locationFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialising a PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitialising(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL cluster running in {DataDirectory} on 127.0.0.1:{Port}")]
    private static partial void LogRunning(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping PostgreSQL in {DataDirectory} failed: {Output}")]
    private static partial void LogStopFailed(ILogger logger, string dataDirectory, string output);
}
