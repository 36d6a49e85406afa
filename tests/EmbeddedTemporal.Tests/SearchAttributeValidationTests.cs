using FlashFundX.TestSupport.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>A search attribute must be registered before a workflow carries it, as on a real server.</summary>
[Collection(TemporalCollection.Name)]
public sealed class SearchAttributeValidationTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    private static SearchAttributeCollection Unregistered() => new SearchAttributeCollection.Builder()
        .Set(UnregisteredSearchAttributeWorkflow.NeverRegistered, "x").ToSearchAttributeCollection();

    [Fact]
    public async Task Start_UnregisteredSearchAttribute_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("sa-start"), TemporalTestEnvironment.NewTaskQueue())
            {
                TypedSearchAttributes = Unregistered(),
            }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        Assert.Contains(UnregisteredSearchAttributeWorkflow.NeverRegistered.Name, error.Message);
    }

    [Fact]
    public async Task SignalWithStart_UnregisteredSearchAttribute_InvalidArgument()
    {
        var options = new WorkflowOptions(NewId("sa-sws"), TemporalTestEnvironment.NewTaskQueue()) { TypedSearchAttributes = Unregistered() };
        options.SignalWithStart((SignalQueryWorkflow wf) => wf.AddAsync("x"));
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), options));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        Assert.Contains(UnregisteredSearchAttributeWorkflow.NeverRegistered.Name, error.Message);
    }

    [Fact]
    public async Task Start_SystemSearchAttribute_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("sa-system"), TemporalTestEnvironment.NewTaskQueue())
            {
                TypedSearchAttributes = new SearchAttributeCollection.Builder()
                    .Set(SearchAttributeKey.CreateKeyword("WorkflowType"), "forged").ToSearchAttributeCollection(),
            }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upsert_UnregisteredSearchAttribute_FailsWorkflowTask(bool cache)
    {
        await WithWorkerAsync(cache, async tq =>
        {
            var handle = await Client.StartWorkflowAsync((UnregisteredSearchAttributeWorkflow wf) => wf.RunAsync(), new(NewId("sa-upsert"), tq));
            await ClientConformanceTests.WaitForHistoryAsync(handle, EventType.WorkflowTaskFailed);
            var history = await handle.FetchHistoryAsync();
            var failed = history.Events.First(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes;
            Assert.Equal(WorkflowTaskFailedCause.BadSearchAttributes, failed.Cause);
            Assert.Contains(UnregisteredSearchAttributeWorkflow.NeverRegistered.Name, failed.Failure.Message);
            Assert.DoesNotContain(history.Events, e => e.EventType == EventType.UpsertWorkflowSearchAttributes);
            await handle.TerminateAsync("test over");
        });
    }
}
