namespace FlashFundX.Worker.Configuration;

/// <summary>gRPC compression of the requests to Temporal (<c>Temporal:Compression</c>).</summary>
public enum TemporalCompression
{
    /// <summary>
    /// None when the server is on this machine (a loopback address), gzip otherwise. Compressing a loopback hop costs
    /// CPU on both ends and saves nothing: the e2e bench ran about a tenth faster without it.
    /// </summary>
    Auto,

    /// <summary>Gzip, the SDK's default: worth it only where bandwidth is dearer than CPU.</summary>
    Gzip,

    None,
}
