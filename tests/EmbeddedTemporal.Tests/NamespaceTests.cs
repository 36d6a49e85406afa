using FlashFundX.TestSupport.Temporal;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>Only registered namespaces exist; any other name answers NotFound, as on a real server.</summary>
[Collection(TemporalCollection.Name)]
public sealed class NamespaceTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    private ITemporalClient ClientOn(string @namespace) =>
        new TemporalClient(Client.Connection, new TemporalClientOptions { Namespace = @namespace });

    [Fact]
    public async Task Start_UnknownNamespace_NotFound()
    {
        var missing = NewId("et-missing");
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            ClientOn(missing).StartWorkflowAsync((SignalQueryWorkflow wf) => wf.RunAsync(), new(NewId("ns"), TemporalTestEnvironment.NewTaskQueue())));
        Assert.Equal(RpcException.StatusCode.NotFound, error.Code);
        Assert.Contains($"Namespace {missing} is not found", error.Message);
    }

    [Fact]
    public async Task Worker_UnknownNamespace_FailsToStart()
    {
        var missing = NewId("et-missing");
        var options = new Temporalio.Worker.TemporalWorkerOptions(TemporalTestEnvironment.NewTaskQueue());
        Configure(options);
        using var worker = new Temporalio.Worker.TemporalWorker(ClientOn(missing), options);
        // Bounds the test should the worker start after all; its validation fails long before.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => worker.ExecuteAsync(guard.Token));
        Assert.IsNotType<OperationCanceledException>(error);
        Assert.False(guard.IsCancellationRequested);
    }

    [Fact]
    public async Task RegisterNamespace_ThenDescribe_ExistsAndSecondRegisterRejected()
    {
        var name = NewId("et-ns");
        var service = Client.Connection.WorkflowService;
        var unknown = await Assert.ThrowsAsync<RpcException>(() => service.DescribeNamespaceAsync(new() { Namespace = name }));
        Assert.Equal(RpcException.StatusCode.NotFound, unknown.Code);

        await service.RegisterNamespaceAsync(new()
        {
            Namespace = name,
            WorkflowExecutionRetentionPeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromDays(1)),
        });
        var described = await service.DescribeNamespaceAsync(new() { Namespace = name });
        Assert.Equal(name, described.NamespaceInfo.Name);
        Assert.Equal(Temporalio.Api.Enums.V1.NamespaceState.Registered, described.NamespaceInfo.State);
        var byId = await service.DescribeNamespaceAsync(new() { Id = described.NamespaceInfo.Id });
        Assert.Equal(name, byId.NamespaceInfo.Name);

        var again = await Assert.ThrowsAsync<RpcException>(() => service.RegisterNamespaceAsync(new()
        {
            Namespace = name,
            WorkflowExecutionRetentionPeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromDays(1)),
        }));
        Assert.Equal(RpcException.StatusCode.AlreadyExists, again.Code);
        Assert.Equal("default", (await service.DescribeNamespaceAsync(new() { Namespace = "default" })).NamespaceInfo.Name);
    }
}
