using Google.Protobuf;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>
/// Commands the embedded server does not implement fail the workflow task that carries them, with the cause a real
/// server gives an invalid command of that kind and a message naming the command, instead of leaving the run stalled.
/// Each test has a server of its own: a real server runs these commands, so the behaviour is the embedded server's.
/// </summary>
public sealed class UnsupportedCommandTests
{
    [Fact]
    public async Task StartChildWorkflow_FailsTheTaskNamingTheCommand()
    {
        var failed = await RunUntilTaskFailsAsync(options => options.AddWorkflow<StartsChildWorkflow>(),
            async (client, id, tq) => await client.StartWorkflowAsync((StartsChildWorkflow wf) => wf.RunAsync(), new(id, tq)));

        Assert.Equal(WorkflowTaskFailedCause.BadStartChildExecutionAttributes, failed.Attributes.Cause);
        Assert.Equal(
            "BadStartChildExecutionAttributes: StartChildWorkflowExecution is not supported by the embedded Temporal server",
            failed.Attributes.Failure.Message);
        Assert.NotNull(failed.Attributes.Failure.ServerFailureInfo);
        Assert.DoesNotContain(failed.History, e => e.EventType is EventType.StartChildWorkflowExecutionInitiated or EventType.WorkflowTaskCompleted);
    }

    [Fact]
    public async Task SignalExternalWorkflow_FailsTheTaskNamingTheCommand()
    {
        var failed = await RunUntilTaskFailsAsync(options => options.AddWorkflow<SignalsExternalWorkflow>(),
            async (client, id, tq) => await client.StartWorkflowAsync((SignalsExternalWorkflow wf) => wf.RunAsync("some-other-workflow"), new(id, tq)));

        Assert.Equal(WorkflowTaskFailedCause.BadSignalWorkflowExecutionAttributes, failed.Attributes.Cause);
        Assert.Contains("SignalExternalWorkflowExecution is not supported by the embedded Temporal server", failed.Attributes.Failure.Message);
        Assert.DoesNotContain(failed.History, e => e.EventType is EventType.SignalExternalWorkflowExecutionInitiated or EventType.WorkflowTaskCompleted);
    }

    [Fact]
    public async Task RequestCancelExternalWorkflow_FailsTheTaskNamingTheCommand()
    {
        var failed = await RunUntilTaskFailsAsync(options => options.AddWorkflow<CancelsExternalWorkflow>(),
            async (client, id, tq) => await client.StartWorkflowAsync((CancelsExternalWorkflow wf) => wf.RunAsync("some-other-workflow"), new(id, tq)));

        Assert.Equal(WorkflowTaskFailedCause.BadRequestCancelExternalWorkflowExecutionAttributes, failed.Attributes.Cause);
        Assert.Contains("RequestCancelExternalWorkflowExecution is not supported by the embedded Temporal server", failed.Attributes.Failure.Message);
    }

    [Fact]
    public async Task ScheduleNexusOperation_AnswersInvalidArgumentAndSchedulesTheNextAttempt()
    {
        await using var server = await EmbeddedTemporalServer.StartAsync();
        var client = await TemporalClient.ConnectAsync(new(server.Target));
        var tq = $"tq-{Guid.NewGuid()}";
        var handle = await client.StartWorkflowAsync("NexusCaller", [], new(NewId(), tq));
        var task = await RawWorkflowTasks.PollAsync(client, tq);

        var error = await Assert.ThrowsAsync<RpcException>(() => RawWorkflowTasks.RespondAsync(client, task,
        [
            new Command
            {
                CommandType = CommandType.ScheduleNexusOperation,
                ScheduleNexusOperationCommandAttributes = new ScheduleNexusOperationCommandAttributes
                {
                    Endpoint = "endpoint",
                    Service = "service",
                    Operation = "operation",
                    Input = new Temporalio.Api.Common.V1.Payload { Data = ByteString.CopyFromUtf8("null") },
                },
            },
        ]));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        Assert.Equal("BadScheduleNexusOperationAttributes: ScheduleNexusOperation is not supported by the embedded Temporal server", error.Message);

        var retry = await RawWorkflowTasks.PollAsync(client, tq);
        Assert.Equal(2, retry.Attempt);
        var failed = retry.History.Events.Single(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes;
        Assert.Equal(WorkflowTaskFailedCause.BadScheduleNexusOperationAttributes, failed.Cause);
        Assert.Equal(RawWorkflowTasks.Identity, failed.Identity);
        Assert.Equal(error.Message, failed.Failure.Message);
        await handle.TerminateAsync();
    }

    private static string NewId() => $"refused-{Guid.NewGuid():N}";

    /// <summary>Starts the workflow on a server and worker of its own and waits for its first task to fail.</summary>
    private static async Task<(WorkflowTaskFailedEventAttributes Attributes, IReadOnlyList<HistoryEvent> History)> RunUntilTaskFailsAsync(
        Action<TemporalWorkerOptions> addWorkflow, Func<ITemporalClient, string, string, Task<WorkflowHandle>> start)
    {
        await using var server = await EmbeddedTemporalServer.StartAsync();
        var client = await TemporalClient.ConnectAsync(new(server.Target));
        var options = new TemporalWorkerOptions($"tq-{Guid.NewGuid()}");
        addWorkflow(options);
        using var worker = new TemporalWorker(client, options);
        return await worker.ExecuteAsync(async () =>
        {
            var handle = await start(client, NewId(), options.TaskQueue!);
            await ClientConformanceTests.WaitForHistoryAsync(handle, EventType.WorkflowTaskFailed)
                .WaitAsync(FlashFundX.TestSupport.Eventually.DefaultTimeout);
            var history = (await handle.FetchHistoryAsync()).Events;
            var failed = history.First(e => e.EventType == EventType.WorkflowTaskFailed);
            await handle.TerminateAsync();
            return (failed.WorkflowTaskFailedEventAttributes, (IReadOnlyList<HistoryEvent>)history.TakeWhile(e => e != failed).ToList());
        });
    }
}
