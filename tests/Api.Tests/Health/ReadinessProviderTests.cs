using System.Net;
using FlashFundX.Api.Health;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Health;

/// <summary>What <c>/health/ready</c> costs the merchant's provider account, and what it tells whom about the provider.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReadinessProviderTests
{
    [Theory]
    [InlineData(null, 1)]           // the default window: twenty requests, one provider call
    [InlineData("00:00:00", 20)]    // no cache: every request asks
    public async Task Ready_CalledTwentyTimes_AsksTheProviderOncePerCacheWindow(string? cacheFor, int expectedCalls)
    {
        await using var service = await ApiService.StartAsync("readycache", configure: options =>
        {
            if (cacheFor is not null)
            {
                options.Settings["Health:ProviderStatusCacheFor"] = cacheFor;
            }
        });
        using var anonymous = service.CreateClient();
        var before = StatusCalls(service);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ReadyAsync(anonymous)));
        for (var i = 0; i < 10; i++)
        {
            await ReadyAsync(anonymous);
        }

        Assert.Equal(expectedCalls, StatusCalls(service) - before);
    }

    [Fact]
    public async Task ProviderFailing_AnonymousSeesNoProviderText_AdminSeesTheReason_LogHasIt()
    {
        await using var service = await ApiService.StartAsync("readyredact", configure: options =>
            options.Settings["Health:ProviderStatusCacheFor"] = "00:00:00");
        using var anonymous = service.CreateClient();
        using var user = service.CreateClient(service.NewUser());
        service.Simulator.InjectFaults(new SimulatorFault { StatusCode = 503, Count = 3, PathPrefix = "/status" });

        var forAnonymous = await ProviderDescriptionAsync(anonymous);
        var forUser = await ProviderDescriptionAsync(user);
        var forAdmin = await ProviderDescriptionAsync(service.AdminClient);

        Assert.Equal(HealthApi.ProviderUnavailable, forAnonymous);
        Assert.Equal(HealthApi.ProviderUnavailable, forUser);
        Assert.Contains("answered 503", forAdmin, StringComparison.Ordinal);
        Assert.Contains(service.Logs.LinesContaining("NowPayments readiness: Degraded"), line => line.Contains("answered 503", StringComparison.Ordinal));
    }

    private static int StatusCalls(FulfillmentService service) =>
        service.Simulator.GetApiCalls().Count(c => c.Path.EndsWith("/status", StringComparison.Ordinal));

    private static async Task ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> ProviderDescriptionAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var report = await Json.ReadAsync(response);
        var provider = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == HealthApi.ProviderCheck);
        Assert.Equal("degraded", provider.GetProperty("status").GetString());
        return provider.GetProperty("description").GetString()!;
    }
}
