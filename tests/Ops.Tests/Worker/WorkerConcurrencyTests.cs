using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.ServiceDefaults.Temporal;
using FlashFundX.Worker.Hosting;
using FlashFundX.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Temporalio.Worker;

namespace FlashFundX.Ops.Tests.Worker;

public sealed class WorkerConcurrencyTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 12)]
    [InlineData(8, 48)]
    public void Unset_SixSlotsPerCoreAtLeastEight(int cores, int expected)
    {
        var concurrency = WorkerConcurrency.From(Settings([]), cores);

        Assert.Equal(new WorkerConcurrency(expected, expected, null), concurrency);
    }

    [Fact]
    public void Configured_ValuesWin_ZeroMeansDefault()
    {
        var concurrency = WorkerConcurrency.From(Settings(new()
        {
            ["Temporal:MaxConcurrentWorkflowTasks"] = "40",
            ["Temporal:MaxConcurrentLocalActivities"] = "0",
            ["Temporal:MaxConcurrentActivities"] = "250",
        }), 2);

        Assert.Equal(new WorkerConcurrency(40, 12, 250), concurrency);
    }

    [Fact]
    public void ApplyTo_SetsTheSlots_LeavesActivitiesAtTheSdkDefaultWhenUnset()
    {
        var options = new TemporalWorkerOptions("q");
        var sdkDefault = options.MaxConcurrentActivities;

        new WorkerConcurrency(12, 16, null).ApplyTo(options);

        Assert.Equal(12, options.MaxConcurrentWorkflowTasks);
        Assert.Equal(16, options.MaxConcurrentLocalActivities);
        Assert.Equal(sdkDefault, options.MaxConcurrentActivities);

        new WorkerConcurrency(12, 16, 30).ApplyTo(options);

        Assert.Equal(30, options.MaxConcurrentActivities);
    }

    // Through the configuration binder, as the worker reads the section.
    private static TemporalSettings Settings(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build()
            .GetSection(TemporalSettings.SectionName).Get<TemporalSettings>() ?? new TemporalSettings();
}
