using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Runs;
using Grpc.Core;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>Worker-facing RPCs of temporal.api.workflowservice.v1.WorkflowService: polls and task responses.</summary>
internal sealed class WorkerServiceHandlers(ServerState server)
{
    private const string Service = WorkflowServiceHandlers.Service;
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(60);

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<PollWorkflowTaskQueueRequest, PollWorkflowTaskQueueResponse>(Service, "PollWorkflowTaskQueue", PollWorkflowTaskAsync);
        registry.Add<PollActivityTaskQueueRequest, PollActivityTaskQueueResponse>(Service, "PollActivityTaskQueue", PollActivityTaskAsync);
        registry.Add<RespondWorkflowTaskCompletedRequest, RespondWorkflowTaskCompletedResponse>(Service, "RespondWorkflowTaskCompleted", (request, _) =>
            RunFor(request.TaskToken, TaskTokenKind.WorkflowTask, out var token).CompleteWorkflowTask(token, request));
        registry.Add<RespondWorkflowTaskFailedRequest, RespondWorkflowTaskFailedResponse>(Service, "RespondWorkflowTaskFailed", (request, _) =>
        {
            RunFor(request.TaskToken, TaskTokenKind.WorkflowTask, out var token).FailWorkflowTask(token, request);
            return new RespondWorkflowTaskFailedResponse();
        });
        registry.Add<RespondQueryTaskCompletedRequest, RespondQueryTaskCompletedResponse>(Service, "RespondQueryTaskCompleted", (request, _) =>
        {
            RunFor(request.TaskToken, TaskTokenKind.QueryTask, out var token).AnswerLegacyQuery(token, request);
            return new RespondQueryTaskCompletedResponse();
        });
        registry.Add<RespondActivityTaskCompletedRequest, RespondActivityTaskCompletedResponse>(Service, "RespondActivityTaskCompleted", (request, _) =>
        {
            RunFor(request.TaskToken, TaskTokenKind.ActivityTask, out var token).CompleteActivity(token, request.Result, request.Identity);
            return new RespondActivityTaskCompletedResponse();
        });
        registry.Add<RespondActivityTaskCompletedByIdRequest, RespondActivityTaskCompletedByIdResponse>(Service, "RespondActivityTaskCompletedById", (request, _) =>
        {
            var run = RunById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId, out var token);
            run.CompleteActivity(token, request.Result, request.Identity);
            return new RespondActivityTaskCompletedByIdResponse();
        });
        registry.Add<RespondActivityTaskFailedRequest, RespondActivityTaskFailedResponse>(Service, "RespondActivityTaskFailed", (request, _) =>
        {
            RunFor(request.TaskToken, TaskTokenKind.ActivityTask, out var token).FailActivity(token, request.Failure, request.LastHeartbeatDetails, request.Identity);
            return new RespondActivityTaskFailedResponse();
        });
        registry.Add<RespondActivityTaskFailedByIdRequest, RespondActivityTaskFailedByIdResponse>(Service, "RespondActivityTaskFailedById", (request, _) =>
        {
            var run = RunById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId, out var token);
            run.FailActivity(token, request.Failure, request.LastHeartbeatDetails, request.Identity);
            return new RespondActivityTaskFailedByIdResponse();
        });
        registry.Add<RespondActivityTaskCanceledRequest, RespondActivityTaskCanceledResponse>(Service, "RespondActivityTaskCanceled", (request, _) =>
        {
            RunFor(request.TaskToken, TaskTokenKind.ActivityTask, out var token).CancelActivity(token, request.Details, request.Identity);
            return new RespondActivityTaskCanceledResponse();
        });
        registry.Add<RespondActivityTaskCanceledByIdRequest, RespondActivityTaskCanceledByIdResponse>(Service, "RespondActivityTaskCanceledById", (request, _) =>
        {
            var run = RunById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId, out var token);
            run.CancelActivity(token, request.Details, request.Identity);
            return new RespondActivityTaskCanceledByIdResponse();
        });
        registry.Add<RecordActivityTaskHeartbeatRequest, RecordActivityTaskHeartbeatResponse>(Service, "RecordActivityTaskHeartbeat", (request, _) =>
            new RecordActivityTaskHeartbeatResponse
            {
                CancelRequested = RunFor(request.TaskToken, TaskTokenKind.ActivityTask, out var token).HeartbeatActivity(token, request.Details),
            });
        registry.Add<RecordActivityTaskHeartbeatByIdRequest, RecordActivityTaskHeartbeatByIdResponse>(Service, "RecordActivityTaskHeartbeatById", (request, _) =>
        {
            var run = RunById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId, out var token);
            return new RecordActivityTaskHeartbeatByIdResponse { CancelRequested = run.HeartbeatActivity(token, request.Details) };
        });
        registry.Add<ShutdownWorkerRequest, ShutdownWorkerResponse>(Service, "ShutdownWorker", (request, _) =>
        {
            if (!string.IsNullOrEmpty(request.StickyTaskQueue))
            {
                foreach (var item in server.WorkflowQueues.Get(request.Namespace, request.StickyTaskQueue).ShutDown())
                {
                    item.OnQueueShutDown();
                }
            }
            return new ShutdownWorkerResponse();
        });
    }

    private async Task<PollWorkflowTaskQueueResponse> PollWorkflowTaskAsync(PollWorkflowTaskQueueRequest request, ServerCallContext context)
    {
        var queue = server.WorkflowQueues.Get(request.Namespace, request.TaskQueue?.Name ?? "");
        var end = DateTime.UtcNow + LongPoll.Budget(context, MaxPoll);
        while (true)
        {
            var remaining = end - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return new PollWorkflowTaskQueueResponse();
            }
            var item = await queue.TakeAsync(remaining, context.CancellationToken).ConfigureAwait(false);
            if (item == null)
            {
                return new PollWorkflowTaskQueueResponse();
            }
            if (item.TryDispatch(request) is { } task)
            {
                // Core favours its sticky pollers while the sticky backlog it is told about is large.
                task.BacklogCountHint = queue.Backlog;
                return task;
            }
        }
    }

    private async Task<PollActivityTaskQueueResponse> PollActivityTaskAsync(PollActivityTaskQueueRequest request, ServerCallContext context)
    {
        var queue = server.ActivityQueues.Get(request.Namespace, request.TaskQueue?.Name ?? "");
        var end = DateTime.UtcNow + LongPoll.Budget(context, MaxPoll);
        while (true)
        {
            var remaining = end - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return new PollActivityTaskQueueResponse();
            }
            var item = await queue.TakeAsync(remaining, context.CancellationToken).ConfigureAwait(false);
            if (item == null)
            {
                return new PollActivityTaskQueueResponse();
            }
            if (item.TryDispatch(request) is { } task)
            {
                return task;
            }
        }
    }

    private WorkflowRun RunFor(Google.Protobuf.ByteString encoded, TaskTokenKind kind, out TaskToken token)
    {
        token = TaskToken.Decode(encoded);
        if (token.Kind != kind)
        {
            throw RpcErrors.InvalidArgument("Task token of the wrong kind");
        }
        return server.Store.FindRun(token.RunId) ?? throw RpcErrors.NotFound("workflow execution not found");
    }

    private WorkflowRun RunById(string @namespace, string workflowId, string runId, string activityId, out TaskToken token)
    {
        var run = server.Store.Find(@namespace, workflowId, runId) ?? throw RpcErrors.NotFound("workflow execution not found");
        token = run.ActivityTokenById(activityId);
        return run;
    }
}
