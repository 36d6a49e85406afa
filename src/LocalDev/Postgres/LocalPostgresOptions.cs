namespace FlashFundX.LocalDev.Postgres;

/// <summary>Where and how a <see cref="LocalPostgresCluster"/> runs.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>
    /// The cluster's root folder: the data directory is <c>{Root}/data</c>; sockets, log and remembered port sit next to it.
    /// Null means a fresh throwaway folder under the temp directory, deleted when the cluster is disposed.
    /// As root, a folder the <c>postgres</c> user cannot reach is replaced by one it can (see <see cref="LocalPostgresCluster"/>).
    /// </summary>
    public string? RootDirectory { get; init; }

    /// <summary>A fixed TCP port on 127.0.0.1; null reuses the port remembered in the root folder, else picks a free one.</summary>
    public int? Port { get; init; }

    /// <summary>Throwaway clusters trade crash safety for speed (fsync off); persistent ones keep PostgreSQL's defaults.</summary>
    public bool Durable { get; init; } = true;

    public int MaxConnections { get; init; } = 300;

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where the PostgreSQL binaries are; null searches PATH, then <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? BinDirectory { get; init; }

    public static LocalPostgresOptions Throwaway() => new() { Durable = false };

    public static LocalPostgresOptions Persistent(string rootDirectory, int? port = null) =>
        new() { RootDirectory = rootDirectory, Port = port, Durable = true };
}
