using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.NowPayments.Simulator;
using Xunit;

namespace FlashFundX.Api.Tests.Orders;

/// <summary><c>POST /orders/{orderId}/payment-check</c>: the owner asks the order's workflow for a provider lookup now.</summary>
public sealed class PaymentCheckTests() : ApiTestBase("paymentcheck", worker: true)
{
    [Fact]
    public async Task PaidWithoutAnyIpn_CheckFindsThePayment_OrderMovesOn_ThenNothingLeftToCheck()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var orderId = (await OrderSteps.CreateAsync(owner)).GetProperty("orderId").GetString()!;
        await Service.PayOrderAsync(orderId, delivery: IpnDelivery.Suppressed);

        using var check = await owner.PostAsync($"/orders/{orderId}/payment-check", null);
        Assert.True(check.StatusCode == HttpStatusCode.OK, await check.Content.ReadAsStringAsync());
        Assert.Equal("finished", (await Json.ReadAsync(check)).GetProperty("paymentStatus").GetString());
        // No stock: the paid order goes on to wait for inventory, long before the run's next own lookup is due.
        await OrderSteps.WaitForAsync(owner, orderId, "deliveryStatus", "waiting_inventory");
        using var again = await owner.PostAsync($"/orders/{orderId}/payment-check", null);

        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Empty(await Service.QueryAsync<string>("SELECT outcome FROM webhook_events"));
    }

    [Fact]
    public async Task Unpaid_SecondCheckWithinTheInterval_429WithRetryAfter_NothingAskedOfTheProvider()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var orderId = (await OrderSteps.CreateAsync(owner)).GetProperty("orderId").GetString()!;

        using var first = await owner.PostAsync($"/orders/{orderId}/payment-check", null);
        var lookups = InvoiceLookups();
        using var second = await owner.PostAsync($"/orders/{orderId}/payment-check", null);

        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        Assert.Equal("awaiting_payment", (await Json.ReadAsync(first)).GetProperty("orderStatus").GetString());
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.TooManyRequests);
        var retryAfter = second.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(lookups, InvoiceLookups());
    }

    [Fact]
    public async Task AnotherUserOrAdmin_404_Anonymous_401_EndedOrder_409()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        using var other = Service.CreateClient(Service.NewUser());
        using var anonymous = Service.CreateClient((string?)null);
        var orderId = (await OrderSteps.CreateAsync(owner)).GetProperty("orderId").GetString()!;

        using var byOther = await other.PostAsync($"/orders/{orderId}/payment-check", null);
        using var byAdmin = await Service.AdminClient.PostAsync($"/orders/{orderId}/payment-check", null);
        using var byAnonymous = await anonymous.PostAsync($"/orders/{orderId}/payment-check", null);
        using var cancel = await Service.AdminClient.PostAsync($"/admin/orders/{orderId}/cancel", Json.Of(new { reason = "test" }));
        await OrderSteps.WaitForAsync(owner, orderId, "orderStatus", "cancelled");
        using var afterEnd = await owner.PostAsync($"/orders/{orderId}/payment-check", null);

        await ProblemAssert.IsProblemAsync(byOther, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(byAdmin, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(byAnonymous, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(afterEnd, HttpStatusCode.Conflict);
    }

    private int InvoiceLookups() =>
        Service.Simulator.GetApiCalls().Count(c => c.Path.Contains("/payment", StringComparison.Ordinal) && c.Method == "GET");
}
