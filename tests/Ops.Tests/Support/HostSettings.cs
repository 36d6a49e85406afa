using FlashFundX.ServiceDefaults.Temporal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace FlashFundX.Ops.Tests.Support;

/// <summary>A host builder's configuration as a given process environment would make it, whatever this test process has.</summary>
public static class HostSettings
{
    /// <summary>
    /// Replaces what the builder read from this test process (its environment variables, command line and TEMPORAL_*
    /// variables) with <paramref name="environment"/>, mapped as the hosts map a real environment; appsettings.json stays.
    /// </summary>
    public static TBuilder WithOnly<TBuilder>(TBuilder builder, IReadOnlyDictionary<string, string> environment)
        where TBuilder : IHostApplicationBuilder
    {
        var sources = builder.Configuration.Sources;
        foreach (var fromProcess in sources.Where(FromThisProcess).ToList())
        {
            sources.Remove(fromProcess);
        }
        builder.Configuration.AddInMemoryCollection(
            environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), (string?)e.Value)));
        builder.Configuration.AddTemporalEnvironmentVariables(name => environment.GetValueOrDefault(name));
        return builder;
    }

    private static bool FromThisProcess(IConfigurationSource source) => source switch
    {
        EnvironmentVariablesConfigurationSource or CommandLineConfigurationSource => true,
        MemoryConfigurationSource { InitialData: { } data } => data.Any() && data.All(d => d.Key.StartsWith("Temporal:", StringComparison.Ordinal)),
        _ => false,
    };
}
