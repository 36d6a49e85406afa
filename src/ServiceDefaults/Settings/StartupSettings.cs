using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlashFundX.ServiceDefaults.Settings;

/// <summary>
/// The production start: every setting is checked before anything connects, and a host with missing or invalid settings
/// exits with code 1 and one message naming all of them.
/// </summary>
public static class StartupSettings
{
    public const int InvalidSettingsExitCode = 1;

    /// <summary>Every missing or invalid setting of a built host (empty when all are fine). Connects to nothing.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures).ToList();
        }
    }

    public static string Describe(string application, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = new StringBuilder($"{application} cannot start: {problems.Count} setting(s) missing or invalid.");
        foreach (var problem in problems.Distinct(StringComparer.Ordinal))
        {
            text.AppendLine().Append("  - ").Append(problem);
        }
        return text.AppendLine().Append("Settings are read from appsettings.json and environment variables (Section__Key); see docs/configuration.md.").ToString();
    }

    /// <summary>Runs <paramref name="host"/> when its settings hold; otherwise prints them and returns 1.</summary>
    public static async Task<int> RunAsync(IHost host, string application)
    {
        ArgumentNullException.ThrowIfNull(host);
        var problems = Problems(host.Services);
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync(Describe(application, problems)).ConfigureAwait(false);
            await DisposeAsync(host).ConfigureAwait(false);
            return InvalidSettingsExitCode;
        }
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task DisposeAsync(IHost host)
    {
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }
}
