using FlashFundX.TestSupport.Temporal;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;
using Temporalio.Workflows;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

public abstract class ConformanceTestBase(TemporalTestEnvironment env)
{
    protected TemporalTestEnvironment Env { get; } = env;

    protected ITemporalClient Client => Env.Client;

    protected static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Runs <paramref name="body"/> with a worker hosting all test workflows and activities.</summary>
    protected async Task<T> WithWorkerAsync<T>(bool cache, Func<string, Task<T>> body, Action<TemporalWorkerOptions>? configure = null)
    {
        using var worker = Env.CreateWorker(options =>
        {
            Configure(options);
            if (!cache)
            {
                options.MaxCachedWorkflows = 0;
            }
            configure?.Invoke(options);
        });
        return await worker.ExecuteAsync(() => body(worker.Options.TaskQueue!));
    }

    protected Task WithWorkerAsync(bool cache, Func<string, Task> body, Action<TemporalWorkerOptions>? configure = null) =>
        WithWorkerAsync(cache, async tq =>
        {
            await body(tq);
            return true;
        }, configure);

    protected static void Configure(TemporalWorkerOptions options)
    {
        foreach (var type in AllTestWorkflows.Types)
        {
            options.AddWorkflow(WorkflowDefinition.Create(type));
        }
        options.AddActivity(TestActivities.Greet);
        options.AddActivity(TestActivities.Flaky);
        options.AddActivity(TestActivities.FailHard);
        options.AddActivity(TestActivities.SlowFirstAttempt);
        options.AddActivity(TestActivities.SilentSleeper);
        options.AddActivity(TestActivities.HeartbeatUntilCancelled);
        options.AddActivity(TestActivities.IsReady);
        options.AddActivity(LocalActivities.Increment);
        options.AddActivity(LocalActivities.SleepAsync);
        options.AddActivity(LocalActivities.FailUntil);
    }

    /// <summary>Registers the custom search attributes a test sets, as a real server requires; present ones are kept.</summary>
    protected async Task RegisterSearchAttributesAsync(params SearchAttributeKey[] keys)
    {
        var ns = Client.Options.Namespace;
        var listed = await Client.Connection.OperatorService.ListSearchAttributesAsync(new() { Namespace = ns });
        var request = new Temporalio.Api.OperatorService.V1.AddSearchAttributesRequest { Namespace = ns };
        foreach (var key in keys.Where(k => !listed.CustomAttributes.ContainsKey(k.Name)))
        {
            request.SearchAttributes[key.Name] = key.ValueType;
        }
        if (request.SearchAttributes.Count > 0)
        {
            await Client.Connection.OperatorService.AddSearchAttributesAsync(request);
        }
    }

    /// <summary>The SDK itself must accept every history the server writes.</summary>
    protected static async Task AssertReplaysAsync(WorkflowHandle handle)
    {
        var history = await handle.FetchHistoryAsync();
        Assert.NotEmpty(history.Events);
        var options = new WorkflowReplayerOptions();
        foreach (var type in AllTestWorkflows.Types)
        {
            options.AddWorkflow(WorkflowDefinition.Create(type));
        }
        var result = await new WorkflowReplayer(options).ReplayWorkflowAsync(history);
        Assert.Null(result.ReplayFailure);
    }

}
