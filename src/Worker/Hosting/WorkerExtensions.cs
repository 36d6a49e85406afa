using FlashFundX.Activities;
using FlashFundX.Activities.Notifications;
using FlashFundX.Data.Database;
using FlashFundX.Data.Webhooks;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Worker.Retention;
using FlashFundX.ServiceDefaults.SearchAttributes;
using FlashFundX.Workflows.Orders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Temporalio.Extensions.Hosting;

namespace FlashFundX.Worker.Hosting;

public static class WorkerExtensions
{
    /// <inheritdoc cref="AddFulfillmentWorker(IServiceCollection, IConfiguration)"/>
    public static IHostApplicationBuilder AddFulfillmentWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddFulfillmentWorker(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// <see cref="AddFulfillmentWorker(IServiceCollection, IConfiguration)"/> inside the API's process (the dev host, the
    /// test harness), registered after the API. There <c>ConnectionStrings:FlashFundX</c> is the API's login role; the
    /// worker's activities and the migrations at start connect as the owner, <paramref name="ownerConnectionString"/>,
    /// as a worker process does with its own <c>ConnectionStrings:FlashFundX</c>.
    /// </summary>
    public static IServiceCollection AddInProcessFulfillmentWorker(
        this IServiceCollection services, IConfiguration configuration, string ownerConnectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerConnectionString);
        services.RemoveAll<FulfillmentDatabase>();
        services.RemoveAll<NpgsqlDataSource>();
        services.AddSingleton(new FulfillmentDatabase(ownerConnectionString));
        services.AddSingleton(provider => FulfillmentDataSource.Create(ownerConnectionString, provider.GetService<ILoggerFactory>()));
        return services.AddFulfillmentWorker(configuration);
    }

    /// <summary>
    /// Hosts a Temporal worker for the order task queue: the fulfillment workflow and its activities, each activity
    /// call in its own DI scope, and the order e-mail. Any number of processes may run this against one cluster.
    /// Expects the service defaults (settings, Temporal client, database) registered too.
    /// </summary>
    public static IServiceCollection AddFulfillmentWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Bound here to name and size the worker; a value that does not convert falls back to the defaults and is
        // reported, with every other setting, before the host starts (StartupSettings).
        TemporalSettings temporal;
        try
        {
            temporal = configuration.GetSection(TemporalSettings.SectionName).Get<TemporalSettings>() ?? new TemporalSettings();
        }
        catch (InvalidOperationException)
        {
            temporal = new TemporalSettings();
        }
        var taskQueue = string.IsNullOrWhiteSpace(temporal.TaskQueue) ? new TemporalSettings().TaskQueue : temporal.TaskQueue;
        var concurrency = WorkerConcurrency.From(temporal, Environment.ProcessorCount);

        services.AddOrderEmail();
        services.AddSettings<WebhookRetentionOptions>(WebhookRetentionOptions.SectionName);
        services.AddSingleton<WebhookEventRetention>();
        services.AddHostedService<WebhookRetentionService>();
        // Registers the order search attributes on a real server before the worker polls (a no-op when present).
        services.AddOrderSearchAttributeRegistration();
        services
            .AddHostedTemporalWorker(taskQueue)
            .AddFulfillmentActivities()
            .AddScopedActivities<NotificationActivities>()
            .AddWorkflow<OrderFulfillmentWorkflow>()
            .ConfigureOptions(concurrency.ApplyTo);
        return services;
    }
}
