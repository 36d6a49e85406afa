namespace FlashFundX.LocalDev.Postgres;

/// <summary>The PostgreSQL server tools a local cluster needs.</summary>
public sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    private const string DistroRoot = "/usr/lib/postgresql";

    /// <summary>Finds initdb and pg_ctl in <paramref name="binDirectory"/>, else on PATH, else the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public static PostgresBinaries Locate(string? binDirectory = null)
    {
        foreach (var dir in Candidates(binDirectory))
        {
            var initDb = Path.Combine(dir, "initdb");
            var pgCtl = Path.Combine(dir, "pg_ctl");
            if (File.Exists(initDb) && File.Exists(pgCtl))
            {
                return new PostgresBinaries(initDb, pgCtl);
            }
        }
        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install PostgreSQL 15+ (e.g. apt-get install postgresql) or point ConnectionStrings__FlashFundX at a running server.");
    }

    private static IEnumerable<string> Candidates(string? binDirectory)
    {
        if (!string.IsNullOrWhiteSpace(binDirectory))
        {
            yield return binDirectory;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }
        if (Directory.Exists(DistroRoot))
        {
            var versions = Directory.GetDirectories(DistroRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(x => x.Version);
            foreach (var (dir, _) in versions)
            {
                yield return Path.Combine(dir, "bin");
            }
        }
    }
}
