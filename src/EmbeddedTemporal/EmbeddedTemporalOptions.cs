using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal;

/// <summary>Options for <see cref="EmbeddedTemporalServer"/>.</summary>
public sealed record EmbeddedTemporalOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Virtual clock that jumps to the next timer when nothing is outstanding and skipping is unlocked.</summary>
    public bool TimeSkipping { get; init; }

    /// <summary>Namespace reported as the default; any namespace a client names is accepted.</summary>
    public string Namespace { get; init; } = "default";

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Time-skipping mode normally starts locked (as Temporal's test server does) so that only a client
    /// unlocking around GetResult lets time jump. The standalone server starts unlocked so plain clients skip.
    /// </summary>
    internal bool StartUnlocked { get; init; }
}
