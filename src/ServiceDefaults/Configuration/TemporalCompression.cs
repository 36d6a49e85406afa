namespace FlashFundX.ServiceDefaults.Configuration;

/// <summary>gRPC compression of the requests to Temporal (<c>Temporal:Compression</c>).</summary>
public enum TemporalCompression
{
    /// <summary>
    /// None when the server is on this machine (a loopback address), gzip otherwise. Compressing a loopback hop costs
    /// CPU on both ends and saves nothing: the e2e bench ran faster without it (bench/RESULTS.md, "2026-12-03, 12:20–13:59
    /// UTC: no gzip on the loopback hop to Temporal, fewer worker slots, the tracing listener, the delivery limit", item 1).
    /// </summary>
    Auto,

    /// <summary>Gzip, the SDK's default: worth it only where bandwidth is dearer than CPU.</summary>
    Gzip,

    None,
}
