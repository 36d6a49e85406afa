using Google.Protobuf;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Protocol.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>A worker played through the raw workflow-task RPCs, so tests can inspect exactly what the server hands out.</summary>
internal static class RawWorkflowTasks
{
    public const string Identity = "raw-worker";

    public static async Task<RespondWorkflowTaskCompletedResponse> CompleteAsync(
        ITemporalClient client, PollWorkflowTaskQueueResponse task, bool returnNew, string? sticky, bool force = false) =>
        await client.Connection.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = client.Options.Namespace,
            TaskToken = task.TaskToken,
            Identity = Identity,
            ReturnNewWorkflowTask = returnNew,
            ForceCreateNewWorkflowTask = force,
            StickyAttributes = sticky == null ? null : new StickyExecutionAttributes
            {
                WorkerTaskQueue = new TaskQueue { Name = $"{sticky}-sticky", Kind = TaskQueueKind.Sticky, NormalName = sticky },
                ScheduleToStartTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            },
        });

    /// <summary>Completes <paramref name="task"/> with the given commands and protocol messages.</summary>
    public static async Task<RespondWorkflowTaskCompletedResponse> RespondAsync(
        ITemporalClient client, PollWorkflowTaskQueueResponse task, IEnumerable<Command> commands, IEnumerable<Message>? messages = null)
    {
        var request = new RespondWorkflowTaskCompletedRequest { Namespace = client.Options.Namespace, TaskToken = task.TaskToken, Identity = Identity };
        request.Commands.AddRange(commands);
        request.Messages.AddRange(messages ?? []);
        return await client.Connection.WorkflowService.RespondWorkflowTaskCompletedAsync(request);
    }

    public static async Task<PollWorkflowTaskQueueResponse> PollAsync(ITemporalClient client, string tq)
    {
        var task = await PollOrNullAsync(client, tq, TimeSpan.FromSeconds(30));
        Assert.False(task.TaskToken.IsEmpty);
        return task;
    }

    /// <summary>Polls the normal queue; an empty task when nothing comes within <paramref name="wait"/>.</summary>
    public static Task<PollWorkflowTaskQueueResponse> PollOrNullAsync(ITemporalClient client, string tq, TimeSpan? wait = null) =>
        client.Connection.WorkflowService.PollWorkflowTaskQueueAsync(
            new PollWorkflowTaskQueueRequest
            {
                Namespace = client.Options.Namespace,
                TaskQueue = new TaskQueue { Name = tq, Kind = TaskQueueKind.Normal },
                Identity = Identity,
            },
            new RpcOptions { Timeout = wait ?? TimeSpan.FromSeconds(3) });

    /// <summary>Sends a query as a client does; the task completes when a worker answers it.</summary>
    public static Task<QueryWorkflowResponse> QueryAsync(ITemporalClient client, string workflowId, string queryType) =>
        client.Connection.WorkflowService.QueryWorkflowAsync(new QueryWorkflowRequest
        {
            Namespace = client.Options.Namespace,
            Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = workflowId },
            Query = new WorkflowQuery { QueryType = queryType },
        });

    /// <summary>Completes <paramref name="task"/> with no commands, answering its query with the JSON <paramref name="answerJson"/>.</summary>
    public static async Task<Payloads> AnswerQueryAsync(ITemporalClient client, PollWorkflowTaskQueueResponse task, string queryId, string answerJson)
    {
        var answer = new Payloads { Payloads_ = { new Payload { Data = ByteString.CopyFromUtf8(answerJson) } } };
        await client.Connection.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = client.Options.Namespace,
            TaskToken = task.TaskToken,
            Identity = Identity,
            QueryResults = { [queryId] = new WorkflowQueryResult { ResultType = QueryResultType.Answered, Answer = answer } },
        });
        return answer;
    }
}
