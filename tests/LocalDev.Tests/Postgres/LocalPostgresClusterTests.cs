using FlashFundX.LocalDev.Postgres;
using Npgsql;

namespace FlashFundX.LocalDev.Tests.Postgres;

/// <summary>
/// Clusters requested inside a folder only its owner can traverse, as a clone inside a mode-700 /root is. Run as root,
/// the server runs as the postgres user, which cannot reach such a folder; run as anyone else, the server runs as the
/// owner. Either way the cluster must start and keep its data. The tests of this class run one after the other: one
/// changes TMPDIR.
/// </summary>
public sealed class LocalPostgresClusterTests : IDisposable
{
    private static readonly bool RunningAsRoot = OperatingSystem.IsLinux() && Environment.UserName == "root";

    private readonly string _privateFolder = Path.Combine(Path.GetTempPath(), $"ffx-private-{Guid.NewGuid():N}");
    private readonly List<string> _leftovers = [];

    public LocalPostgresClusterTests()
    {
        Directory.CreateDirectory(_privateFolder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_privateFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task StartAsync_PersistentFolderOnlyItsOwnerCanTraverse_KeepsDataAcrossRestarts()
    {
        var requested = Path.Combine(_privateFolder, "checkout", ".localdev", "postgres");
        var options = LocalPostgresOptions.Persistent(requested);

        string firstRoot;
        await using (var first = await LocalPostgresCluster.StartAsync(options))
        {
            firstRoot = first.RootDirectory;
            _leftovers.Add(firstRoot);
            var database = await first.CreateDatabaseAsync("kept");
            await ExecuteAsync(database, "CREATE TABLE note (text text); INSERT INTO note VALUES ('still here')");
        }
        await using var second = await LocalPostgresCluster.StartAsync(options);
        var kept = await ScalarAsync(second.ConnectionStringFor("kept"), "SELECT text FROM note");

        Assert.Equal("still here", kept);
        Assert.Equal(firstRoot, second.RootDirectory);
        Assert.True(second.OwnsServer);
        if (RunningAsRoot)
        {
            Assert.False(IsUnder(second.RootDirectory, _privateFolder), $"{second.RootDirectory} is out of the postgres user's reach");
            Assert.Equal(second.RootDirectory, File.ReadAllText(Path.Combine(requested, "data-location")).Trim());
        }
        else
        {
            Assert.Equal(requested, second.RootDirectory);
        }
    }

    [Fact]
    public async Task StartAsync_ThrowawayWithTempFolderOnlyItsOwnerCanTraverse_StartsAndCleansUp()
    {
        var previous = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", _privateFolder);
        LocalPostgresCluster cluster;
        try
        {
            cluster = await LocalPostgresCluster.StartAsync(LocalPostgresOptions.Throwaway());
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", previous);
        }
        _leftovers.Add(cluster.RootDirectory);

        string? answer;
        await using (cluster)
        {
            answer = await ScalarAsync(cluster.ConnectionString, "SELECT 'up'");
        }

        Assert.Equal("up", answer);
        Assert.Equal(RunningAsRoot, !IsUnder(cluster.RootDirectory, _privateFolder));
        Assert.False(Directory.Exists(cluster.RootDirectory), $"{cluster.RootDirectory} is deleted with the cluster");
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var folder in _leftovers.Append(_privateFolder).Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
