using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace FlashFundX.ServiceDefaults.Temporal;

/// <summary>
/// The process's Temporal runtime, with SDK metrics forwarded to the meter <see cref="MeterName"/>
/// (scraped at <c>/metrics</c> with a <c>temporal_</c> prefix).
/// </summary>
/// <remarks>
/// Temporal advises one runtime per process (each owns a thread pool in the Rust core), so the client in the API
/// and in a worker share <see cref="Shared"/>. The meter is static for the same reason: it lives as long as the runtime.
/// </remarks>
public static class FulfillmentTemporalRuntime
{
    public const string MeterName = "Temporalio";

    private static readonly Meter SdkMeter = new(MeterName);

    private static readonly Lazy<TemporalRuntime> SharedRuntime = new(() => Create(SdkMeter));

    public static TemporalRuntime Shared => SharedRuntime.Value;

    /// <summary>A new runtime whose SDK metrics go to <paramref name="meter"/> (tests; production uses <see cref="Shared"/>).</summary>
    public static TemporalRuntime Create(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return new TemporalRuntime(new TemporalRuntimeOptions
        {
            Telemetry = new TelemetryOptions
            {
                Metrics = new MetricsOptions
                {
                    CustomMetricMeter = new TemporalMetricsBridge(meter),
                    CustomMetricMeterOptions = new CustomMetricMeterOptions
                    {
                        HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds,
                    },
                },
            },
        });
    }
}
