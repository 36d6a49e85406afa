using FlashFundX.ServiceDefaults.Configuration;
using Temporalio.Worker;

namespace FlashFundX.Worker.Hosting;

/// <summary>
/// How much one worker process works on at once, from <see cref="TemporalSettings"/>'s MaxConcurrentWorkflowTasks,
/// MaxConcurrentLocalActivities and MaxConcurrentActivities (0: the default).
/// Workflow tasks and local activities (the invoice, the payment sync and the delivery run as local activities inside
/// workflow tasks) are CPU work here. The SDK's default of 100 each lets a saturated worker interleave a hundred orders,
/// so each one waits for all the others: on 2 cores, 12 instead of 100 cut the e2e bench's confirmed → delivered and
/// webhook p99 several-fold (bench/RESULTS.md, "2026-12-03, 12:20–13:59 UTC: no gzip on the loopback hop to Temporal,
/// fewer worker slots, the tracing listener, the delivery limit", item 3c). The default is therefore six per core;
/// raise it where those local activities mostly wait on a slow payment provider. Activities (e-mail, status polls) wait
/// on the network and keep the SDK's default.
/// </summary>
public sealed record WorkerConcurrency(int WorkflowTasks, int LocalActivities, int? Activities)
{
    public const int PerCore = 6;

    /// <summary>Above the SDK's 5 concurrent workflow task polls, so a 1-core worker still keeps them all.</summary>
    public const int Minimum = 8;

    public static int DefaultSlots(int processorCount) => Math.Max(Minimum, PerCore * processorCount);

    public static WorkerConcurrency From(TemporalSettings settings, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var slots = DefaultSlots(processorCount);
        return new WorkerConcurrency(
            Positive(settings.MaxConcurrentWorkflowTasks) ?? slots,
            Positive(settings.MaxConcurrentLocalActivities) ?? slots,
            Positive(settings.MaxConcurrentActivities));
    }

    public void ApplyTo(TemporalWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxConcurrentWorkflowTasks = WorkflowTasks;
        options.MaxConcurrentLocalActivities = LocalActivities;
        if (Activities is int activities)
        {
            options.MaxConcurrentActivities = activities;
        }
    }

    private static int? Positive(int value) => value > 0 ? value : null;
}
