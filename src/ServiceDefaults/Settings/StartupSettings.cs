using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlashFundX.ServiceDefaults.Settings;

/// <summary>
/// The production start: every setting is checked before anything connects, and a host with missing or invalid settings
/// exits with code 1 and one message naming all of them.
/// </summary>
public static partial class StartupSettings
{
    public const int InvalidSettingsExitCode = 1;

    /// <summary>The settings held, but starting failed (e.g. Temporal unreachable) or a background service failed later: the host logged the details.</summary>
    public const int StartFailedExitCode = 2;

    /// <summary>Every missing or invalid setting of a built host (empty when all are fine). Connects to nothing.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Section by section: the host's own start-up validation stops at the first value that does not convert.
        var problems = new List<string>();
        foreach (var section in services.GetServices<SettingsSection>())
        {
            try
            {
                section.Resolve(services);
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
            catch (InvalidOperationException e)
            {
                // A value that does not convert: the binder's message names the key and the type, and the value, which is left out.
                problems.Add(BinderValue().Replace(e.Message, "value at"));
            }
        }
        if (problems.Count == 0)
        {
            try
            {
                services.GetService<IStartupValidator>()?.Validate();
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
            {
                problems.AddRange(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures));
            }
        }
        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    public static string Describe(string application, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = new StringBuilder($"{application} cannot start: {problems.Count} setting(s) missing or invalid.");
        foreach (var problem in problems)
        {
            text.AppendLine().Append("  - ").Append(problem);
        }
        return text.AppendLine().Append("Settings are read from appsettings.json and environment variables (Section__Key); see docs/configuration.md.").ToString();
    }

    /// <summary>
    /// Runs <paramref name="host"/> when its settings hold and returns 0 once it stops; otherwise prints them and returns
    /// 1. A start that fails anyway (a dependency unreachable) returns 2 with one line naming the cause.
    /// </summary>
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
        // Taken before the run: the host's services are disposed once it stops.
        var background = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One line for the operator instead of an unhandled exception (the host's log has the stack trace).
            await Console.Error.WriteLineAsync($"{application} could not start: {e.Message}").ConfigureAwait(false);
            return StartFailedExitCode;
        }
        // A background service that fails (the Temporal worker losing its server for good) stops the host without an
        // exception: exit non-zero so the process supervisor restarts it.
        if (background.Find(service => service.ExecuteTask?.IsFaulted == true) is { } failed)
        {
            await Console.Error.WriteLineAsync(
                $"{application} stopped: {failed.GetType().Name} failed: {failed.ExecuteTask!.Exception?.GetBaseException().Message}").ConfigureAwait(false);
            return StartFailedExitCode;
        }
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

    [GeneratedRegex("value '.*' at", RegexOptions.Singleline)]
    private static partial Regex BinderValue();
}
