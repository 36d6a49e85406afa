using FlashFundX.ServiceDefaults.SearchAttributes;
using FlashFundX.Ops.Tests.Support;
using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Common;

namespace FlashFundX.Ops.Tests.SearchAttributes;

[Collection(TemporalCollection.Name)]
public sealed class SearchAttributeRegistrationTests(TemporalTestEnvironment environment)
{
    [Fact]
    public async Task HostStart_WithRegistration_NamespaceHasEveryOrderSearchAttribute()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTemporalClient(environment.Client.Connection.Options.TargetHost!, environment.Client.Options.Namespace);
        builder.Services.AddOrderSearchAttributeRegistration();
        using var host = builder.Build();

        await host.StartAsync();
        var listed = await environment.Client.Connection.OperatorService.ListSearchAttributesAsync(
            new ListSearchAttributesRequest { Namespace = environment.Client.Options.Namespace });
        await host.StopAsync();

        foreach (var key in OrderSearchAttributes.All)
        {
            Assert.True(listed.CustomAttributes.TryGetValue(key.Name, out var type), $"{key.Name} not registered");
            Assert.Equal(key.ValueType, type);
        }
    }

    [Fact]
    public async Task EnsureRegisteredAsync_SecondTime_AddsNothing()
    {
        // A fixed name: on a real server this stays registered, so repeated runs must not pile up attributes.
        var key = SearchAttributeKey.CreateKeyword("FfxOpsTestProbe");
        await SearchAttributeRegistrar.EnsureRegisteredAsync(environment.Client, [key]);

        var second = await SearchAttributeRegistrar.EnsureRegisteredAsync(environment.Client, [key]);

        Assert.Empty(second.Added);
        Assert.Equal([key.Name], second.Present);
    }
}
