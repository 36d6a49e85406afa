using System.Net;
using System.Net.Http.Json;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary>
/// Two <c>POST /orders</c> with one Idempotency-Key while the first one's workflow start fails and its order is deleted
/// again (compensation): the second was handed that order, and must never answer 500.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyRaceTests : IAsyncLifetime
{
    private readonly StartGate _gate = new();
    private FulfillmentService _service = null!;

    public async Task InitializeAsync() =>
        _service = await ApiService.StartAsync("idemrace", configure: options =>
        {
            // The second request must still be waiting for an invoice (none comes: no worker) when the first one's
            // compensation deletes the order.
            options.Settings["Orders:InvoiceWait"] = "00:00:05";
            options.Settings["Orders:InvoiceRecheckInterval"] = "00:00:00.100";
            ApiService.InterceptTemporalClient(options, _gate);
        });

    public async Task DisposeAsync()
    {
        _gate.FailFirst();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task CreateOrder_SameKeyWhileFirstCreationIsCleanedUp_FirstIs503_SecondCreatesTheOrderAfresh()
    {
        var key = $"race-{Guid.NewGuid():N}";
        using var client = _service.CreateClient(new TestIdentities(_service.SigningKey).UserA);

        var first = PostAsync(client, key);
        await Eventually.WaitAsync(() => Task.FromResult(_gate.WorkflowIds.Count), n => n == 1, TimeSpan.FromSeconds(15), "the first start held");
        var second = PostAsync(client, key);
        // The second request found the first one's order (stage created, no invoice) and started its workflow.
        await Eventually.WaitAsync(() => Task.FromResult(_gate.WorkflowIds.Count), n => n == 2, TimeSpan.FromSeconds(15), "the second start");
        _gate.FailFirst();
        using var failed = await first;
        using var created = await second;

        await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.ServiceUnavailable);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var orderId = (await Json.ReadAsync(created)).GetProperty("orderId").GetString()!;
        var removed = _gate.WorkflowIds[0];
        Assert.NotEqual(removed, $"order-{orderId}");
        Assert.Equal(orderId, await OrderSteps.ScalarAsync<string>(_service.Database,
            "SELECT order_id FROM orders WHERE idempotency_key = @key", new { key }));
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(_service.Database,
            "SELECT count(*) FROM orders WHERE 'order-' || order_id = @removed", new { removed }));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderSteps.Body()) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
