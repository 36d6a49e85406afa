using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.ServiceDefaults.Temporal;
using FlashFundX.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Temporalio.Extensions.Hosting;

namespace FlashFundX.Ops.Tests.Worker;

/// <summary>The options the hosted worker is built from, as the worker process registers it: the slots reach the SDK.</summary>
public sealed class HostedWorkerOptionsTests
{
    [Fact]
    public void ConfiguredSlots_ReachTheHostedWorkerOfTheConfiguredQueue()
    {
        var options = HostedWorkerOptions(new()
        {
            ["Temporal:TaskQueue"] = "orders-eu",
            ["Temporal:MaxConcurrentWorkflowTasks"] = "40",
            ["Temporal:MaxConcurrentLocalActivities"] = "24",
            ["Temporal:MaxConcurrentActivities"] = "250",
        }, "orders-eu");

        Assert.Equal("orders-eu", options.TaskQueue);
        Assert.Equal(40, options.MaxConcurrentWorkflowTasks);
        Assert.Equal(24, options.MaxConcurrentLocalActivities);
        Assert.Equal(250, options.MaxConcurrentActivities);
        Assert.NotEmpty(options.Workflows);
        Assert.NotEmpty(options.Activities);
    }

    [Fact]
    public void NothingConfigured_DefaultQueueAndSlotsPerCore()
    {
        var queue = new TemporalSettings().TaskQueue;

        var options = HostedWorkerOptions([], queue);

        var slots = WorkerConcurrency.DefaultSlots(Environment.ProcessorCount);
        Assert.Equal(queue, options.TaskQueue);
        Assert.Equal(slots, options.MaxConcurrentWorkflowTasks);
        Assert.Equal(slots, options.MaxConcurrentLocalActivities);
    }

    private static TemporalWorkerServiceOptions HostedWorkerOptions(Dictionary<string, string?> settings, string taskQueue)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFulfillmentWorker();
        using var provider = builder.Services.BuildServiceProvider();
        // The hosting package names a worker's options after its task queue (when no build id or version is set).
        return provider.GetRequiredService<IOptionsMonitor<TemporalWorkerServiceOptions>>().Get(taskQueue);
    }
}
