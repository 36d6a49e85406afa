using System.ComponentModel.DataAnnotations;

namespace FlashFundX.ServiceDefaults.Metrics;

/// <summary>
/// Section <c>Metrics</c>: the management listener. With a <see cref="Port"/>, the process serves <c>/metrics</c> on
/// that port by itself, apart from any public port (the worker, and the API outside Development, whose public port
/// answers 404 for <c>/metrics</c>); in Development the API also maps it on its own port.
/// </summary>
public sealed class MetricsServerOptions
{
    public const string SectionName = "Metrics";

    /// <summary>0 (default): no management listener. Prometheus' usual exporter port is 9464.</summary>
    [Range(0, 65535, ErrorMessage = "Metrics:Port must be between 0 and 65535 (0: no stand-alone listener).")]
    public int Port { get; set; }

    /// <summary>
    /// Interface to listen on: <c>localhost</c> (default: loopback only), an address, or <c>*</c> (every interface, for a
    /// container whose port only the scraper's network reaches).
    /// </summary>
    [Required(ErrorMessage = "Metrics:Host (env Metrics__Host) must name an interface, e.g. localhost or *.")]
    public string Host { get; set; } = "localhost";
}
