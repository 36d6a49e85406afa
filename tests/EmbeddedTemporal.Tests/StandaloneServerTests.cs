using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>The standalone program: how it stops and how its time-skipping clock starts.</summary>
public sealed class StandaloneServerTests
{
    /// <summary>A guard against a hung process, not a latency limit: shutdown waits at most 5 s for open long polls.</summary>
    private static readonly TimeSpan ExitGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sigterm_ExitsWithCodeZero()
    {
        using var server = await EmbeddedServerProcess.StartAsync(TimeSpan.FromSeconds(60));
        // A connected client, so the server has a live HTTP/2 connection to close when it stops.
        var client = await TemporalClient.ConnectAsync(new(server.Target));
        await client.Connection.WorkflowService.GetSystemInfoAsync(new());

        await server.TerminateAsync();

        await server.Process.WaitForExitAsync().WaitAsync(ExitGuard);
        Assert.Equal(0, server.Process.ExitCode);
    }

    [Fact]
    public async Task TimeSkipping_StartsLocked_SkipsOnlyOnceAClientUnlocks()
    {
        using var server = await EmbeddedServerProcess.StartAsync(TimeSpan.FromSeconds(60), "--time-skipping");
        var client = await TemporalClient.ConnectAsync(new(server.Target));
        var delay = TimeSpan.FromHours(1);
        var options = new TemporalWorkerOptions($"tq-{Guid.NewGuid()}").AddWorkflow<TimerWorkflow>();
        using var worker = new TemporalWorker(client, options);
        await worker.ExecuteAsync(async () =>
        {
            var before = (await client.Connection.TestService.GetCurrentTimeAsync(new())).Time.ToDateTimeOffset();
            var handle = await client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(delay), new($"locked-{Guid.NewGuid():N}", options.TaskQueue!));
            // Once the timer is started nothing is outstanding: an unlocked clock would jump to it at once.
            await ClientConformanceTests.WaitForHistoryAsync(handle, EventType.TimerStarted).WaitAsync(FlashFundX.TestSupport.Eventually.DefaultTimeout);
            var whileLocked = (await client.Connection.TestService.GetCurrentTimeAsync(new())).Time.ToDateTimeOffset();
            Assert.True(whileLocked - before < delay, $"the clock moved {whileLocked - before} before any client unlocked it");

            await client.Connection.TestService.UnlockTimeSkippingAsync(new());
            Assert.Equal("fired", await handle.GetResultAsync());
            var afterUnlock = (await client.Connection.TestService.GetCurrentTimeAsync(new())).Time.ToDateTimeOffset();
            Assert.True(afterUnlock - before >= delay, $"the clock moved only {afterUnlock - before} after the unlock");
        });
    }
}
