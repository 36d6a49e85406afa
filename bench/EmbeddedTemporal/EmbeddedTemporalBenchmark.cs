using System.Diagnostics;
using System.Globalization;
using FlashFundX.EmbeddedTemporal;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace FlashFundX.Bench.EmbeddedTemporal;

/// <summary>
/// Throughput of the embedded Temporal server: N workflows of three activities each through one worker.
/// Arguments: [--workflows N] [--concurrency C] [--local]. With <c>--local</c> the three steps are local
/// activities (run inside the workflow task, recorded as markers) instead of activity tasks.
/// Prints workflows/s and p50/p99 start-to-result latency.
/// </summary>
public static class EmbeddedTemporalBenchmark
{
    private const double GoalWorkflowsPerSecond = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var workflows = IntArg(args, "--workflows", 2000);
        var concurrency = IntArg(args, "--concurrency", 100);
        var local = args.Contains("--local");

        await using var server = await EmbeddedTemporalServer.StartAsync().ConfigureAwait(false);
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target)).ConfigureAwait(false);
        var taskQueue = $"bench-{Guid.NewGuid():N}";
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue)
            {
                MaxConcurrentWorkflowTaskPolls = IntArg(args, "--wft-pollers", 8),
                MaxConcurrentActivityTaskPolls = IntArg(args, "--activity-pollers", 8),
            }
            .AddWorkflow<ThreeStepWorkflow>()
            .AddWorkflow<ThreeLocalStepWorkflow>()
            .AddActivity(BenchActivities.Step));

        var result = await worker.ExecuteAsync(async () =>
        {
            await RunBatchAsync(client, taskQueue, 50, concurrency, local).ConfigureAwait(false); // warm-up
            return await RunBatchAsync(client, taskQueue, workflows, concurrency, local).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var sorted = result.LatenciesMs.Order().ToArray();
        var throughput = workflows / result.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embedded-temporal: {workflows} workflows x 3 {(local ? "local activities" : "activities")}, concurrency {concurrency}, {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  elapsed {result.Elapsed.TotalSeconds:F2} s, {throughput:F1} workflows/s (goal >= {GoalWorkflowsPerSecond})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  start-to-result latency p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms"));
        return 0;
    }

    private static async Task<(TimeSpan Elapsed, double[] LatenciesMs)> RunBatchAsync(
        ITemporalClient client, string taskQueue, int count, int concurrency, bool local)
    {
        var latencies = new double[count];
        using var gate = new SemaphoreSlim(concurrency);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var options = new WorkflowOptions($"bench-{i}-{Guid.NewGuid():N}", taskQueue);
                var run = local
                    ? client.ExecuteWorkflowAsync((ThreeLocalStepWorkflow wf) => wf.RunAsync(i), options)
                    : client.ExecuteWorkflowAsync((ThreeStepWorkflow wf) => wf.RunAsync(i), options);
                await run.ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return (watch.Elapsed, latencies);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

public static class BenchActivities
{
    [Activity]
    public static int Step(int value) => value + 1;
}

[Workflow]
public class ThreeStepWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    [WorkflowRun]
#pragma warning disable CA1822 // workflow run methods are instance methods by contract
    public async Task<int> RunAsync(int input)
    {
        var a = await Workflow.ExecuteActivityAsync(() => BenchActivities.Step(input), Options);
        var b = await Workflow.ExecuteActivityAsync(() => BenchActivities.Step(a), Options);
        return await Workflow.ExecuteActivityAsync(() => BenchActivities.Step(b), Options);
    }
#pragma warning restore CA1822
}

[Workflow]
public class ThreeLocalStepWorkflow
{
    private static readonly LocalActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    [WorkflowRun]
#pragma warning disable CA1822 // workflow run methods are instance methods by contract
    public async Task<int> RunAsync(int input)
    {
        var a = await Workflow.ExecuteLocalActivityAsync(() => BenchActivities.Step(input), Options);
        var b = await Workflow.ExecuteLocalActivityAsync(() => BenchActivities.Step(a), Options);
        return await Workflow.ExecuteLocalActivityAsync(() => BenchActivities.Step(b), Options);
    }
#pragma warning restore CA1822
}
