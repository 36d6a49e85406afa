using Microsoft.Extensions.Configuration;

namespace FlashFundX.ServiceDefaults.Temporal;

/// <summary>Maps the environment variables Temporal's own tools use onto the <c>Temporal</c> section, above every other source.</summary>
public static class TemporalEnvironmentVariables
{
    private static readonly (string Variable, string Key)[] Map =
    [
        ("TEMPORAL_ADDRESS", "Temporal:Address"),
        ("TEMPORAL_NAMESPACE", "Temporal:Namespace"),
        ("TEMPORAL_API_KEY", "Temporal:ApiKey"),
        ("TEMPORAL_TASK_QUEUE", "Temporal:TaskQueue"),
    ];

    public static IConfigurationBuilder AddTemporalEnvironmentVariables(this IConfigurationBuilder configuration) =>
        configuration.AddTemporalEnvironmentVariables(Environment.GetEnvironmentVariable);

    /// <summary>The same mapping from another environment, e.g. the one a compose file gives a container (tests/Ops.Tests/Deploy).</summary>
    public static IConfigurationBuilder AddTemporalEnvironmentVariables(this IConfigurationBuilder configuration, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var values = Map
            .Select(m => (m.Key, Value: environment(m.Variable)))
            .Where(m => !string.IsNullOrWhiteSpace(m.Value))
            .ToDictionary(m => m.Key, m => m.Value);
        return values.Count == 0 ? configuration : configuration.AddInMemoryCollection(values);
    }
}
