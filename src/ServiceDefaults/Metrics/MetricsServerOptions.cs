using System.ComponentModel.DataAnnotations;

namespace FlashFundX.ServiceDefaults.Metrics;

/// <summary>
/// Section <c>Metrics</c>. With a <see cref="Port"/>, the process serves <c>/metrics</c> on that port by itself
/// (the worker, a generic host without Kestrel); without one, a web host maps it with <c>MapFulfillmentMetrics</c>.
/// </summary>
public sealed class MetricsServerOptions
{
    public const string SectionName = "Metrics";

    /// <summary>0 (default): no stand-alone listener. Prometheus' usual exporter port is 9464.</summary>
    [Range(0, 65535, ErrorMessage = "Metrics:Port must be between 0 and 65535 (0: no stand-alone listener).")]
    public int Port { get; set; }

    /// <summary>Interface to listen on: <c>*</c> (every interface, for containers) or e.g. <c>localhost</c>.</summary>
    public string Host { get; set; } = "*";
}
