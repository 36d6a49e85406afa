using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Runs;
using FlashFundX.EmbeddedTemporal.Visibility;
using Google.Protobuf;
using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>Client-facing RPCs of temporal.api.workflowservice.v1.WorkflowService.</summary>
internal sealed class WorkflowServiceHandlers(ServerState server)
{
    public const string Service = "temporal.api.workflowservice.v1.WorkflowService";
    private static readonly TimeSpan MaxWorkflowTaskTimeout = TimeSpan.FromSeconds(120);
    private readonly WorkflowStarter _starter = new(server);

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<GetSystemInfoRequest, GetSystemInfoResponse>(Service, "GetSystemInfo", (_, _) => new GetSystemInfoResponse
        {
            ServerVersion = "1.0.0-embedded",
            Capabilities = new GetSystemInfoResponse.Types.Capabilities
            {
                SdkMetadata = true,
                SignalAndQueryHeader = true,
                EncodedFailureAttributes = true,
                InternalErrorDifferentiation = true,
                UpsertMemo = true,
                ActivityFailureIncludeHeartbeat = true,
            },
        });
        registry.Add<StartWorkflowExecutionRequest, StartWorkflowExecutionResponse>(Service, "StartWorkflowExecution", (request, _) => Start(request));
        registry.Add<SignalWithStartWorkflowExecutionRequest, SignalWithStartWorkflowExecutionResponse>(Service, "SignalWithStartWorkflowExecution", (request, _) => SignalWithStart(request));
        registry.Add<SignalWorkflowExecutionRequest, SignalWorkflowExecutionResponse>(Service, "SignalWorkflowExecution", (request, _) =>
        {
            FindRun(request.Namespace, request.WorkflowExecution).Signal(request);
            return new SignalWorkflowExecutionResponse();
        });
        registry.Add<RequestCancelWorkflowExecutionRequest, RequestCancelWorkflowExecutionResponse>(Service, "RequestCancelWorkflowExecution", (request, _) =>
        {
            RequestCancel(request);
            return new RequestCancelWorkflowExecutionResponse();
        });
        registry.Add<TerminateWorkflowExecutionRequest, TerminateWorkflowExecutionResponse>(Service, "TerminateWorkflowExecution", (request, _) =>
        {
            FindRun(request.Namespace, request.WorkflowExecution).Terminate(request.Reason, request.Details, request.Identity);
            return new TerminateWorkflowExecutionResponse();
        });
        registry.Add<DescribeWorkflowExecutionRequest, DescribeWorkflowExecutionResponse>(Service, "DescribeWorkflowExecution", (request, _) =>
            FindRun(request.Namespace, request.Execution).Describe());
        registry.Add<QueryWorkflowRequest, QueryWorkflowResponse>(Service, "QueryWorkflow", QueryAsync);
        registry.Add<GetWorkflowExecutionHistoryRequest, GetWorkflowExecutionHistoryResponse>(Service, "GetWorkflowExecutionHistory", GetHistoryAsync);
        registry.Add<ListWorkflowExecutionsRequest, ListWorkflowExecutionsResponse>(Service, "ListWorkflowExecutions", (request, _) => List(request));
        registry.Add<CountWorkflowExecutionsRequest, CountWorkflowExecutionsResponse>(Service, "CountWorkflowExecutions", (request, _) =>
        {
            var query = VisibilityQuery.Parse(request.Query);
            return new CountWorkflowExecutionsResponse
            {
                Count = server.Store.AllRuns(request.Namespace).Select(r => r.BuildExecutionInfo()).Count(query.Matches),
            };
        });
    }

    internal WorkflowRun FindRun(string @namespace, Temporalio.Api.Common.V1.WorkflowExecution? execution) =>
        server.Store.Find(@namespace, execution?.WorkflowId ?? "", execution?.RunId)
        ?? throw RpcErrors.NotFound($"workflow execution not found: {execution?.WorkflowId}");

    /// <summary>
    /// As Temporal's history service does: a closed run takes the request as a no-op success; with a first execution
    /// run id, the latest run is cancelled if it belongs to that chain of runs.
    /// </summary>
    private void RequestCancel(RequestCancelWorkflowExecutionRequest request)
    {
        var execution = request.WorkflowExecution;
        var byFirstRun = !string.IsNullOrEmpty(request.FirstExecutionRunId);
        var run = server.Store.Find(request.Namespace, execution?.WorkflowId ?? "", byFirstRun ? null : execution?.RunId)
            ?? throw RpcErrors.NotFound($"workflow execution not found: {execution?.WorkflowId}");
        if (byFirstRun && run.IsOpen && run.FirstExecutionRunId != request.FirstExecutionRunId)
        {
            throw RpcErrors.NotFound($"workflow execution not found: {execution?.WorkflowId}");
        }
        run.RequestCancel(request.Reason, request.Identity);
    }

    private void ValidateSearchAttributes(string @namespace, Temporalio.Api.Common.V1.SearchAttributes? attributes)
    {
        if (server.SearchAttributes.Problem(@namespace, attributes) is { } problem)
        {
            throw RpcErrors.InvalidArgument(problem);
        }
    }

    private StartWorkflowExecutionResponse Start(StartWorkflowExecutionRequest request)
    {
        var (run, started) = _starter.Start(StartSpec(request), request.WorkflowIdReusePolicy, request.WorkflowIdConflictPolicy);
        return new StartWorkflowExecutionResponse { RunId = run.RunId, Started = started, Status = run.Status };
    }

    /// <summary>The run a start request asks for, its search attributes checked as a real server checks them.</summary>
    internal RunStartSpec StartSpec(StartWorkflowExecutionRequest request)
    {
        ValidateSearchAttributes(request.Namespace, request.SearchAttributes);
        return CreateSpec(
            request.Namespace, request.WorkflowId, request.WorkflowType?.Name, request.TaskQueue?.Name, request.RequestId, request.Identity) with
        {
            Input = request.Input,
            Header = request.Header,
            Memo = request.Memo,
            SearchAttributes = request.SearchAttributes,
            RetryPolicy = request.RetryPolicy,
            Priority = request.Priority,
            ExecutionTimeout = ProtoTime.Positive(request.WorkflowExecutionTimeout),
            RunTimeout = ProtoTime.Positive(request.WorkflowRunTimeout),
            WorkflowTaskTimeout = TaskTimeout(request.WorkflowTaskTimeout),
            StartDelay = ProtoTime.Positive(request.WorkflowStartDelay) ?? TimeSpan.Zero,
            CronSchedule = request.CronSchedule,
            UserMetadata = request.UserMetadata,
        };
    }

    private SignalWithStartWorkflowExecutionResponse SignalWithStart(SignalWithStartWorkflowExecutionRequest request)
    {
        ValidateSearchAttributes(request.Namespace, request.SearchAttributes);
        var spec = CreateSpec(
            request.Namespace, request.WorkflowId, request.WorkflowType?.Name, request.TaskQueue?.Name, request.RequestId, request.Identity) with
        {
            Input = request.Input,
            Header = request.Header,
            Memo = request.Memo,
            SearchAttributes = request.SearchAttributes,
            RetryPolicy = request.RetryPolicy,
            Priority = request.Priority,
            ExecutionTimeout = ProtoTime.Positive(request.WorkflowExecutionTimeout),
            RunTimeout = ProtoTime.Positive(request.WorkflowRunTimeout),
            WorkflowTaskTimeout = TaskTimeout(request.WorkflowTaskTimeout),
            StartDelay = ProtoTime.Positive(request.WorkflowStartDelay) ?? TimeSpan.Zero,
            CronSchedule = request.CronSchedule,
            UserMetadata = request.UserMetadata,
            InitialSignal = (request.SignalName, request.SignalInput, request.Header),
        };
        var (run, started) = _starter.Start(spec, request.WorkflowIdReusePolicy, request.WorkflowIdConflictPolicy, signalExisting: true);
        return new SignalWithStartWorkflowExecutionResponse { RunId = run.RunId, Started = started };
    }

    private static RunStartSpec CreateSpec(string @namespace, string workflowId, string? type, string? taskQueue, string requestId, string identity)
    {
        if (string.IsNullOrEmpty(workflowId) || string.IsNullOrEmpty(type) || string.IsNullOrEmpty(taskQueue))
        {
            throw RpcErrors.InvalidArgument("WorkflowId, WorkflowType and TaskQueue are required");
        }
        return new RunStartSpec
        {
            Namespace = @namespace,
            WorkflowId = workflowId,
            WorkflowType = type,
            TaskQueue = taskQueue,
            RequestId = requestId,
            Identity = identity,
        };
    }

    private static TimeSpan TaskTimeout(Google.Protobuf.WellKnownTypes.Duration? requested)
    {
        var timeout = ProtoTime.Positive(requested) ?? TimeSpan.FromSeconds(10);
        return timeout > MaxWorkflowTaskTimeout ? MaxWorkflowTaskTimeout : timeout;
    }

    private async Task<QueryWorkflowResponse> QueryAsync(QueryWorkflowRequest request, ServerCallContext context)
    {
        var run = FindRun(request.Namespace, request.Execution);
        if (QueryRejection(run.Status, request.QueryRejectCondition) is { } rejected)
        {
            return new QueryWorkflowResponse { QueryRejected = rejected };
        }
        var pending = run.Query(request.Query);
        QueryOutcome outcome;
        try
        {
            outcome = await pending.WaitAsync(LongPoll.Budget(context, TimeSpan.FromSeconds(30)), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            run.AbandonQuery(pending);
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "query timed out: no worker answered"));
        }
        if (outcome.ResultType == QueryResultType.Answered)
        {
            return new QueryWorkflowResponse { QueryResult = outcome.Answer };
        }
        throw RpcErrors.Create(
            StatusCode.InvalidArgument,
            outcome.ErrorMessage,
            new Temporalio.Api.ErrorDetails.V1.QueryFailedFailure { Failure = outcome.Failure });
    }

    /// <summary>A closed run refuses a query whose reject condition its status meets, instead of running it.</summary>
    private static Temporalio.Api.Query.V1.QueryRejected? QueryRejection(WorkflowExecutionStatus status, QueryRejectCondition condition)
    {
        var rejected = status != WorkflowExecutionStatus.Running && condition switch
        {
            QueryRejectCondition.NotOpen => true,
            QueryRejectCondition.NotCompletedCleanly => status != WorkflowExecutionStatus.Completed,
            _ => false,
        };
        return rejected ? new Temporalio.Api.Query.V1.QueryRejected { Status = status } : null;
    }

    private async Task<GetWorkflowExecutionHistoryResponse> GetHistoryAsync(GetWorkflowExecutionHistoryRequest request, ServerCallContext context)
    {
        var run = FindRun(request.Namespace, request.Execution);
        var budget = LongPoll.Budget(context, TimeSpan.FromSeconds(20));
        if (request.HistoryEventFilterType == HistoryEventFilterType.CloseEvent)
        {
            if (request.WaitNewEvent && run.IsOpen)
            {
                try
                {
                    await run.Closed.WaitAsync(budget, context.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException)
                {
                    // Still open: History unset tells the client to poll again.
                }
            }
            var closeEvent = run.CloseEvent();
            var response = new GetWorkflowExecutionHistoryResponse();
            if (closeEvent != null)
            {
                response.History = new Temporalio.Api.History.V1.History { Events = { closeEvent } };
            }
            return response;
        }

        var from = request.NextPageToken.IsEmpty ? 0 : int.Parse(request.NextPageToken.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture);
        if (request.WaitNewEvent)
        {
            try
            {
                await run.WaitForEventsBeyond(from).WaitAsync(budget, context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Nothing new yet.
            }
        }
        var (events, closed) = run.ReadHistory(from);
        var result = new GetWorkflowExecutionHistoryResponse { History = new Temporalio.Api.History.V1.History() };
        result.History.Events.AddRange(events);
        if (request.WaitNewEvent && !closed)
        {
            result.NextPageToken = ByteString.CopyFromUtf8((from + events.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return result;
    }

    private ListWorkflowExecutionsResponse List(ListWorkflowExecutionsRequest request)
    {
        var query = VisibilityQuery.Parse(request.Query);
        var runs = server.Store.AllRuns(request.Namespace)
            .Select(r => (Run: r, Info: r.BuildExecutionInfo()))
            .Where(x => query.Matches(x.Info));
        var ordered = query.Ascending
            ? runs.OrderBy(x => x.Run.StartTime).ThenBy(x => x.Run.Sequence)
            : runs.OrderByDescending(x => x.Run.StartTime).ThenByDescending(x => x.Run.Sequence);
        var all = ordered.Select(x => x.Info).ToList();
        var offset = request.NextPageToken.IsEmpty ? 0 : int.Parse(request.NextPageToken.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture);
        var size = request.PageSize > 0 ? request.PageSize : 1000;
        var response = new ListWorkflowExecutionsResponse();
        response.Executions.AddRange(all.Skip(offset).Take(size));
        if (offset + size < all.Count)
        {
            response.NextPageToken = ByteString.CopyFromUtf8((offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return response;
    }
}
