using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

[Collection(TemporalCollection.Name)]
public sealed class ClientConformanceTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Fact]
    public async Task StartWorkflow_SameRequestId_ReturnsSameRun()
    {
        var request = new Temporalio.Api.WorkflowService.V1.StartWorkflowExecutionRequest
        {
            Namespace = Client.Options.Namespace,
            WorkflowId = NewId("dedupe"),
            WorkflowType = new() { Name = "SignalQueryWorkflow" },
            TaskQueue = new() { Name = TemporalTestEnvironment.NewTaskQueue() },
            RequestId = Guid.NewGuid().ToString(),
        };
        var first = await Client.Connection.WorkflowService.StartWorkflowExecutionAsync(request);
        var second = await Client.Connection.WorkflowService.StartWorkflowExecutionAsync(request);
        Assert.Equal(first.RunId, second.RunId);
        await Client.GetWorkflowHandle(request.WorkflowId).TerminateAsync("cleanup");
    }

    [Fact]
    public async Task StartWorkflow_IdConflictPolicies_FailUseExistingAndReject()
    {
        var id = NewId("conflict");
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var first = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(id, tq));

        var error = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() =>
            Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(id, tq)));
        Assert.Equal(first.ResultRunId, error.RunId);

        var existing = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(id, tq)
        {
            IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
        });
        Assert.Equal(first.ResultRunId, existing.ResultRunId);

        await first.TerminateAsync("done");
        await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() =>
            Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(id, tq) { IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate }));
        var again = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(id, tq) { IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate });
        Assert.NotEqual(first.ResultRunId, again.ResultRunId);

        var replaced = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(id, tq)
        {
            IdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting,
        });
        Assert.Equal(WorkflowExecutionStatus.Terminated, (await Client.GetWorkflowHandle(id, again.ResultRunId).DescribeAsync()).Status);
        await replaced.TerminateAsync("cleanup");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignalsAndQueries_WhileTaskInFlight_BufferedAndAnswered(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("sigq"), tq));
            await h.SignalAsync(wf => wf.AddAsync("a"));
            Assert.Equal("a", await h.QueryAsync(wf => wf.Items()));
            await h.SignalAsync(wf => wf.AddSlowlyAsync("b"));
            // Both arrive while the slow signal's workflow task is in flight.
            await h.SignalAsync(wf => wf.AddAsync("c"));
            var inFlight = await h.QueryAsync(wf => wf.Items());
            Assert.StartsWith("a", inFlight);
            var queryError = await Assert.ThrowsAsync<WorkflowQueryFailedException>(() => h.QueryAsync(wf => wf.Broken()));
            Assert.Contains("broken", queryError.Message);
            await h.SignalAsync(wf => wf.DoneAsync());
            Assert.Equal("a,b,c", await h.GetResultAsync());
            Assert.Equal("a,b,c", await h.QueryAsync(wf => wf.Items()));
            return h;
        });
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task SignalWithStart_NewThenExisting_StartsOnceAndSignalsTwice()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var id = NewId("sws");
            var options = new WorkflowOptions(id, tq);
            options.SignalWithStart((SignalQueryWorkflow wf) => wf.AddAsync("x"));
            var h = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), options);
            var options2 = new WorkflowOptions(id, tq);
            options2.SignalWithStart((SignalQueryWorkflow wf) => wf.AddAsync("y"));
            var h2 = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), options2);
            Assert.Equal(h.ResultRunId, h2.ResultRunId);
            await h.SignalAsync(wf => wf.DoneAsync());
            Assert.Equal("x,y", await h.GetResultAsync());
            return h;
        });
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task Describe_RunningWorkflow_ReportsTypeStatusAndMemo()
    {
        var tq = TemporalTestEnvironment.NewTaskQueue();
        var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("describe"), tq)
        {
            Memo = new Dictionary<string, object> { ["k"] = "v" },
        });
        var description = await handle.DescribeAsync();
        Assert.Equal("SignalQueryWorkflow", description.WorkflowType);
        Assert.Equal(WorkflowExecutionStatus.Running, description.Status);
        Assert.Equal(tq, description.TaskQueue);
        Assert.Equal("v", await description.Memo["k"].ToValueAsync<string>());
        await handle.TerminateAsync("cleanup");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancel_WaitingWorkflow_EndsCanceled(bool cache)
    {
        var handle = await WithWorkerAsync(cache, async tq =>
        {
            var h = await Client.StartWorkflowAsync((CancellableWorkflow wf) => wf.RunAsync(), new(NewId("cancel"), tq));
            await WaitForHistoryAsync(h, EventType.TimerStarted);
            await h.CancelAsync();
            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            Assert.IsType<CanceledFailureException>(error.InnerException);
            return h;
        });
        Assert.Equal(WorkflowExecutionStatus.Canceled, (await handle.DescribeAsync()).Status);
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task Terminate_RunningWorkflow_EndsTerminatedAndFurtherCallsNotFound()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((CancellableWorkflow wf) => wf.RunAsync(), new(NewId("terminate"), tq));
            await h.TerminateAsync("enough");
            var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => h.GetResultAsync());
            Assert.IsType<TerminatedFailureException>(error.InnerException);
            return h;
        });
        var rpc = await Assert.ThrowsAsync<RpcException>(() => handle.SignalAsync("anything", []));
        Assert.Equal(RpcException.StatusCode.NotFound, rpc.Code);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.GetWorkflowHandle(NewId("nope")).DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, unknown.Code);
        await AssertReplaysAsync(handle);
    }

    [VirtualTimeFact]
    public async Task StartDelay_OneHour_FirstTaskWaitsForVirtualTime()
    {
        var handle = await WithWorkerAsync(true, async tq =>
        {
            var h = await Client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromMinutes(1)), new(NewId("delay"), tq)
            {
                StartDelay = TimeSpan.FromHours(1),
            });
            Assert.Equal("fired", await h.GetResultAsync());
            return h;
        });
        var history = await handle.FetchHistoryAsync();
        Assert.Equal(TimeSpan.FromHours(1), history.Events.First().WorkflowExecutionStartedEventAttributes.FirstWorkflowTaskBackoff.ToTimeSpan());
        await AssertReplaysAsync(handle);
    }

    [Fact]
    public async Task ListAndCount_VisibilityQuery_FiltersOrdersAndPages()
    {
        await RegisterSearchAttributesAsync(PropertiesWorkflow.CustomerKey, PropertiesWorkflow.AmountKey, PropertiesWorkflow.PaidKey);
        var listed = await Client.Connection.OperatorService.ListSearchAttributesAsync(new() { Namespace = Client.Options.Namespace });
        Assert.Contains("EtCustomer", listed.CustomAttributes.Keys);

        var tq = TemporalTestEnvironment.NewTaskQueue();
        var customer = $"c-{Guid.NewGuid():N}";
        var handles = new List<WorkflowHandle>();
        for (var i = 0; i < 3; i++)
        {
            handles.Add(await Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("list"), tq)
            {
                TypedSearchAttributes = new SearchAttributeCollection.Builder()
                    .Set(PropertiesWorkflow.CustomerKey, customer)
                    .Set(PropertiesWorkflow.AmountKey, i)
                    .Set(PropertiesWorkflow.PaidKey, i % 2 == 0)
                    .ToSearchAttributeCollection(),
            }));
        }
        await handles[0].TerminateAsync("done");
        var baseQuery = $"EtCustomer = '{customer}' AND TaskQueue = '{tq}'";

        var all = await Client.ListWorkflowsAsync($"{baseQuery} ORDER BY StartTime DESC", new() { Limit = 10 }).ToListAsync();
        Assert.Equal(handles.Select(h => h.Id).Reverse(), all.Select(w => w.Id));
        Assert.Equal(3, (await Client.CountWorkflowsAsync(baseQuery)).Count);
        Assert.Equal(2, (await Client.CountWorkflowsAsync($"{baseQuery} AND ExecutionStatus = 'Running'")).Count);
        Assert.Equal(2, (await Client.CountWorkflowsAsync($"{baseQuery} AND EtPaid = true")).Count);
        Assert.Equal(handles[1].Id, Assert.Single(await Client.ListWorkflowsAsync($"{baseQuery} AND EtAmount = 1").ToListAsync()).Id);
        Assert.Equal(3, (await Client.CountWorkflowsAsync($"{baseQuery} AND WorkflowType = 'SignalQueryWorkflow'")).Count);
        Assert.Equal(handles[2].Id, Assert.Single(await Client.ListWorkflowsAsync($"WorkflowId = '{handles[2].Id}'").ToListAsync()).Id);

        var page = await Client.Connection.WorkflowService.ListWorkflowExecutionsAsync(new()
        {
            Namespace = Client.Options.Namespace,
            Query = baseQuery,
            PageSize = 2,
        });
        Assert.Equal(2, page.Executions.Count);
        Assert.False(page.NextPageToken.IsEmpty);
        var rest = await Client.Connection.WorkflowService.ListWorkflowExecutionsAsync(new()
        {
            Namespace = Client.Options.Namespace,
            Query = baseQuery,
            PageSize = 2,
            NextPageToken = page.NextPageToken,
        });
        Assert.Single(rest.Executions);
        foreach (var h in handles.Skip(1))
        {
            await h.TerminateAsync("cleanup");
        }
    }

    [Fact]
    public async Task UnknownRpc_NotImplemented_AnswersUnimplementedOrWorks()
    {
        if (Env.Kind != "embedded")
        {
            return;
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.Connection.WorkflowService.ListSchedulesAsync(new() { Namespace = Client.Options.Namespace }));
        Assert.Equal(RpcException.StatusCode.Unimplemented, error.Code);
    }

    internal static async Task WaitForHistoryAsync(WorkflowHandle handle, EventType type)
    {
        // History long poll: returns as soon as new events are written.
        await foreach (var e in handle.FetchHistoryEventsAsync(new WorkflowHistoryEventFetchOptions { WaitNewEvent = true }))
        {
            if (e.EventType == type)
            {
                return;
            }
        }
    }
}
