using FlashFundX.Activities;
using FlashFundX.Observability.SearchAttributes;
using FlashFundX.Activities.Notifications;
using FlashFundX.Workflows.Orders;
using FlashFundX.Worker.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Temporalio.Extensions.Hosting;

namespace FlashFundX.Worker.Hosting;

public static class WorkerExtensions
{
    /// <summary>
    /// Hosts a Temporal worker for the order task queue: the fulfillment workflow and its activities, each activity
    /// call in its own DI scope. Any number of processes may run this against one cluster.
    /// </summary>
    public static IHostApplicationBuilder AddFulfillmentWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Validated at start with the rest of the section (AddFulfillmentCore); bound here to name and size the worker.
        var temporal = builder.Configuration.GetSection(TemporalSettings.SectionName).Get<TemporalSettings>() ?? new TemporalSettings();
        var taskQueue = string.IsNullOrWhiteSpace(temporal.TaskQueue) ? new TemporalSettings().TaskQueue : temporal.TaskQueue;
        var concurrency = WorkerConcurrency.From(temporal, Environment.ProcessorCount);

        // Registers the order search attributes on a real server before the worker polls (a no-op when present).
        builder.Services.AddOrderSearchAttributeRegistration();
        builder.Services
            .AddHostedTemporalWorker(taskQueue)
            .AddFulfillmentActivities()
            .AddScopedActivities<NotificationActivities>()
            .AddWorkflow<OrderFulfillmentWorkflow>()
            .ConfigureOptions(concurrency.ApplyTo);
        return builder;
    }
}
