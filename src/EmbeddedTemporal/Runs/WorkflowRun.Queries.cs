using FlashFundX.EmbeddedTemporal.Tasks;
using Google.Protobuf.Collections;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Query.V1;
using Microsoft.Extensions.Logging;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// Query dispatch depends on the workflow task: attached to a scheduled task, held back while a task is started
/// (then attached to the next task or sent alone), or sent as a stand-alone "legacy" query task when idle, and still
/// idle when a worker takes it.
/// </summary>
internal sealed partial class WorkflowRun
{
    private readonly List<PendingQuery> _queriesForNextTask = [];
    private readonly List<PendingQuery> _queriesInFlight = [];
    private readonly List<PendingQuery> _queriesHeldBack = [];
    private readonly Dictionary<string, PendingQuery> _legacyQueries = new(StringComparer.Ordinal);

    public Task<QueryOutcome> Query(WorkflowQuery query)
    {
        var pending = new PendingQuery(Guid.NewGuid().ToString(), query);
        lock (_gate)
        {
            string dispatch;
            switch (_wft)
            {
                case WftState.Scheduled:
                    _queriesForNextTask.Add(pending);
                    dispatch = "attached to the scheduled workflow task";
                    break;
                case WftState.Started:
                    _queriesHeldBack.Add(pending);
                    dispatch = "held back while a workflow task runs";
                    break;
                default:
                    DispatchLegacy(pending);
                    dispatch = "queued as a legacy query task";
                    break;
            }
            // Lets a test see that a query has reached the run, and how it was dispatched.
            _logger.LogDebug("Query {QueryType} to {WorkflowId}: {Dispatch}", query.QueryType, WorkflowId, dispatch);
        }
        return pending.Completion.Task;
    }

    public void AbandonQuery(Task<QueryOutcome> query)
    {
        lock (_gate)
        {
            bool Matches(PendingQuery q) => q.Completion.Task == query;
            _queriesForNextTask.RemoveAll(Matches);
            _queriesHeldBack.RemoveAll(Matches);
            _queriesInFlight.RemoveAll(Matches);
            foreach (var key in _legacyQueries.Where(p => Matches(p.Value)).Select(p => p.Key).ToList())
            {
                _legacyQueries.Remove(key);
            }
        }
    }

    public void AnswerLegacyQuery(TaskToken token, RespondQueryTaskCompletedRequest request)
    {
        lock (_gate)
        {
            if (!_legacyQueries.Remove(token.QueryId, out var pending))
            {
                throw Grpc.RpcErrors.NotFound("Query not found");
            }
            pending.Completion.TrySetResult(new QueryOutcome(request.CompletedType, request.QueryResult, request.ErrorMessage, request.Failure));
        }
    }

    private void AttachQueries(PollWorkflowTaskQueueResponse response)
    {
        foreach (var query in _queriesForNextTask)
        {
            response.Queries[query.Id] = query.Query;
            _queriesInFlight.Add(query);
        }
        _queriesForNextTask.Clear();
    }

    private void AnswerQueries(MapField<string, WorkflowQueryResult> results)
    {
        foreach (var (id, result) in results)
        {
            var index = _queriesInFlight.FindIndex(q => q.Id == id);
            if (index < 0)
            {
                continue;
            }
            var pending = _queriesInFlight[index];
            _queriesInFlight.RemoveAt(index);
            pending.Completion.TrySetResult(new QueryOutcome(result.ResultType, result.Answer, result.ErrorMessage, result.Failure));
        }
    }

    /// <summary>Queries whose task failed or timed out go to the next task.</summary>
    private void RequeueInFlightQueries()
    {
        _queriesHeldBack.InsertRange(0, _queriesInFlight);
        _queriesInFlight.Clear();
    }

    private void DispatchBufferedQueries()
    {
        if (_queriesHeldBack.Count == 0)
        {
            return;
        }
        var queries = _queriesHeldBack.ToArray();
        _queriesHeldBack.Clear();
        foreach (var query in queries)
        {
            if (_wft == WftState.Scheduled)
            {
                _queriesForNextTask.Add(query);
            }
            else
            {
                DispatchLegacy(query);
            }
        }
    }

    private void RedispatchQueriesAsLegacy()
    {
        foreach (var query in _queriesForNextTask.Concat(_queriesInFlight).Concat(_queriesHeldBack).ToArray())
        {
            DispatchLegacy(query);
        }
        _queriesForNextTask.Clear();
        _queriesInFlight.Clear();
        _queriesHeldBack.Clear();
    }

    private void DispatchLegacy(PendingQuery query)
    {
        _legacyQueries[query.Id] = query;
        if (LiveStickyQueue() is { } sticky)
        {
            var id = query.Id;
            query.StickyFallbackTimer = Clock.Schedule(_stickyTimeout, () => OnLegacyQueryUntaken(id));
            sticky.Offer(new QueryTaskItem(this, id, Sticky: true));
        }
        else
        {
            NormalQueue.Offer(new QueryTaskItem(this, query.Id, Sticky: false));
        }
    }

    private PollWorkflowTaskQueueResponse? TryStartLegacyQuery(string queryId, bool sticky)
    {
        lock (_gate)
        {
            if (!_legacyQueries.TryGetValue(queryId, out var query) || query.Taken)
            {
                return null;
            }
            query.StickyFallbackTimer?.Cancel();
            if (_wft != WftState.None)
            {
                // A task was scheduled after the query was queued. Sent alone now, the query's history would end
                // inside that task, and a worker replaying it takes the new events as part of the last completed
                // task (a signal then reaches the workflow earlier than it did, and the replay breaks). The query
                // goes with the task instead, as it would have had it arrived now.
                _legacyQueries.Remove(queryId);
                (_wft == WftState.Scheduled ? _queriesForNextTask : _queriesHeldBack).Add(query);
                return null;
            }
            query.Taken = true;
            var now = ProtoTime.ToTimestamp(Clock.Now);
            var response = new PollWorkflowTaskQueueResponse
            {
                TaskToken = new TaskToken(TaskTokenKind.QueryTask, RunId, 0, 1, queryId).Encode(),
                WorkflowExecution = Execution,
                WorkflowType = new WorkflowType { Name = Spec.WorkflowType },
                PreviousStartedEventId = _previousStartedId,
                StartedEventId = 0,
                Attempt = 1,
                Query = query.Query,
                History = new Temporalio.Api.History.V1.History(),
                WorkflowExecutionTaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = TaskQueue, Kind = TaskQueueKind.Normal },
                ScheduledTime = now,
                StartedTime = now,
            };
            if (!sticky)
            {
                // A cached worker answers from its cache; one that evicted the run fetches the history itself.
                response.History.Events.AddRange(_history);
            }
            return response;
        }
    }

    private sealed record PendingQuery(string Id, WorkflowQuery Query)
    {
        public TaskCompletionSource<QueryOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set once a poller received it as a legacy query task, so a fallback copy is not sent too.</summary>
        public bool Taken { get; set; }

        public Time.ClockTimer? StickyFallbackTimer { get; set; }
    }

    private sealed class QueryTaskItem(WorkflowRun run, string queryId, bool Sticky) : WorkflowQueueItem
    {
        public override PollWorkflowTaskQueueResponse? TryDispatch(PollWorkflowTaskQueueRequest poll) => run.TryStartLegacyQuery(queryId, Sticky);

        public override void OnQueueShutDown() => run.OnLegacyQueryUntaken(queryId);
    }
}
