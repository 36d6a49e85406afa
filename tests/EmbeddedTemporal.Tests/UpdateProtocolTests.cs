using FlashFundX.TestSupport.Temporal;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Protocol.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>The update protocol on the wire, played by a raw worker: what the task carries and what a completion may say.</summary>
[Collection(TemporalCollection.Name)]
public sealed class UpdateProtocolTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task Update_IdleWorkflow_RequestRidesASpeculativeTaskThatARejectionLeavesOutOfHistory()
    {
        var tq = $"tq-{Guid.NewGuid()}";
        var handle = await Client.StartWorkflowAsync("RawUpdateTarget", [], new(NewId("raw-update"), tq));
        await RawWorkflowTasks.CompleteAsync(Client, await RawWorkflowTasks.PollAsync(Client, tq), returnNew: false, sticky: null);
        var before = (await handle.FetchHistoryAsync()).Events.Count;

        var update = handle.ExecuteUpdateAsync("AddItem", ["x"], new("update-1"));
        var task = await RawWorkflowTasks.PollAsync(Client, tq);
        var message = Assert.Single(task.Messages);
        Assert.Equal("update-1/request", message.Id);
        Assert.Equal("update-1", message.ProtocolInstanceId);
        Assert.Equal(task.StartedEventId - 1, message.EventId);
        var request = message.Body.Unpack<Request>();
        Assert.Equal("AddItem", request.Input.Name);
        Assert.Equal(EventType.WorkflowTaskStarted, task.History.Events[^1].EventType);

        await RawWorkflowTasks.RespondAsync(Client, task, [],
        [
            new Message
            {
                Id = "update-1/reject",
                ProtocolInstanceId = "update-1",
                Body = Any.Pack(new Rejection
                {
                    RejectedRequestMessageId = message.Id,
                    RejectedRequestSequencingEventId = message.EventId,
                    RejectedRequest = request,
                    Failure = new Temporalio.Api.Failure.V1.Failure { Message = "not today", ApplicationFailureInfo = new() },
                }),
            },
        ]);

        var rejected = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => update);
        Assert.Equal("not today", rejected.InnerException?.Message);
        Assert.Equal(before, (await handle.FetchHistoryAsync()).Events.Count);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task Completion_ProtocolMessageCommandWithoutItsMessage_FailsTheTask()
    {
        var tq = $"tq-{Guid.NewGuid()}";
        var handle = await Client.StartWorkflowAsync("RawUpdateTarget", [], new(NewId("raw-update-bad"), tq));
        var task = await RawWorkflowTasks.PollAsync(Client, tq);

        var error = await Assert.ThrowsAsync<RpcException>(() => RawWorkflowTasks.RespondAsync(Client, task,
        [
            new Command
            {
                CommandType = CommandType.ProtocolMessage,
                ProtocolMessageCommandAttributes = new ProtocolMessageCommandAttributes { MessageId = "missing" },
            },
        ]));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        Assert.Contains("ProtocolMessageCommand referenced absent message ID missing", error.Message, StringComparison.Ordinal);

        var retry = await RawWorkflowTasks.PollAsync(Client, tq);
        var failed = retry.History.Events.Single(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes;
        Assert.Equal(WorkflowTaskFailedCause.BadUpdateWorkflowExecutionMessage, failed.Cause);
        await handle.TerminateAsync();
    }
}
