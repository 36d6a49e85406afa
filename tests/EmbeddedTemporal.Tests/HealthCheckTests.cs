using FlashFundX.TestSupport.Temporal;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Xunit;

namespace FlashFundX.EmbeddedTemporal.Tests;

/// <summary>The standard gRPC health service, called with a plain gRPC client as a load balancer or probe would.</summary>
[Collection(TemporalCollection.Name)]
public sealed class HealthCheckTests(TemporalTestEnvironment env) : ConformanceTestBase(env)
{
    [Theory]
    [InlineData("")]
    [InlineData("temporal.api.workflowservice.v1.WorkflowService")]
    public async Task HealthCheck_ServerAndWorkflowService_Serving(string service)
    {
        using var channel = GrpcChannel.ForAddress($"http://{Client.Connection.Options.TargetHost}");

        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task HealthCheck_UnknownService_NotFound()
    {
        using var channel = GrpcChannel.ForAddress($"http://{Client.Connection.Options.TargetHost}");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
