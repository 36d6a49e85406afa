using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Journey;

/// <summary>
/// The customer journey over HTTP (issue 25's acceptance): browse, buy one in stock, watch it complete, see it in the
/// profile; then a price change affects new orders only. The simulator's IPNs reach this service.
/// </summary>
public sealed class CustomerJourneyTests() : ApiTestBase("journey", worker: true, o => o.Settings.Remove("NowPayments:IpnCallbackUrl"))
{
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BrowseBuyWatchPay_ProfileCountsIt_ThenARaiseCostsNewOrdersOnly()
    {
        await Service.ImportInventoryAsync(1, accountSize: 10000, platform: "mt5");
        var user = Service.NewUser();
        using var customer = Service.CreateClient(user);
        using var anonymous = Service.CreateClient((string?)null);
        using var streams = StreamClient.For(Service);

        var products = (await anonymous.GetFromJsonAsync<JsonElement>("/products")).EnumerateArray().ToArray();
        var product = products.First(p => p.GetProperty("platforms").EnumerateArray()
            .Any(pl => pl.GetProperty("platform").GetString() == "mt5" && pl.GetProperty("inStock").GetBoolean()));
        var (type, size) = (product.GetProperty("accountType").GetString()!, product.GetProperty("accountSize").GetInt32());
        var price = product.GetProperty("price").GetDecimal();
        var before = (await customer.GetFromJsonAsync<JsonElement>("/me")).GetProperty("totals");
        var order = await Service.CreateOrderAsync(customer, type, size, "mt5");
        await using var stream = await SseConnection.OpenMineAsync(streams, user.Token);
        await Service.PayOrderAsync(order.OrderId);
        var watched = await stream.ReadUntilAsync(
            e => e.Any(m => m.Field("orderId") == order.OrderId && m.Field("orderStatus") == "completed"), StreamWait, "the order completed");
        var after = (await customer.GetFromJsonAsync<JsonElement>("/me")).GetProperty("totals");
        var accounts = (await customer.GetFromJsonAsync<JsonElement>("/me/accounts")).EnumerateArray().ToArray();
        var rulesSold = (await customer.GetFromJsonAsync<JsonElement>($"/orders/{order.OrderId}/account")).GetProperty("tradingRules");

        using var raise = await Service.AdminClient.PutAsJsonAsync($"/admin/products/{type}/{size}", Raised(product, price + 100m));
        var next = await Service.CreateOrderAsync(customer, type, size, "mt5");
        var firstAgain = await Service.GetOrderAsync(order.OrderId, customer);
        var rulesLater = (await customer.GetFromJsonAsync<JsonElement>($"/orders/{order.OrderId}/account")).GetProperty("tradingRules");

        Assert.Equal(price, order.PriceAmount);
        Assert.All(watched, e => Assert.Equal(order.OrderId, e.Field("orderId")));
        Assert.Equal("delivered", watched[^1].Field("deliveryStatus"));
        Assert.Equal(before.GetProperty("totalOrders").GetInt32() + 1, after.GetProperty("totalOrders").GetInt32());
        Assert.Equal(before.GetProperty("totalSpent").GetDecimal() + price, after.GetProperty("totalSpent").GetDecimal());
        Assert.Equal(order.OrderId, Assert.Single(accounts).GetProperty("orderId").GetString());
        Assert.True(raise.StatusCode == HttpStatusCode.OK, await raise.Content.ReadAsStringAsync());
        Assert.Equal(price + 100m, next.PriceAmount);
        Assert.Equal(price, firstAgain.PriceAmount);
        Assert.Equal(rulesSold.GetRawText(), rulesLater.GetRawText());
        Assert.Equal(product.GetProperty("tradingRules").GetProperty("profitSplit").GetDecimal(), rulesLater.GetProperty("profitSplit").GetDecimal());
    }

    /// <summary>The product's terms with a new price and a bigger profit split, so a changed rule would show.</summary>
    private static object Raised(JsonElement product, decimal price)
    {
        var rules = product.GetProperty("tradingRules");
        decimal? Optional(string name) => rules.GetProperty(name).ValueKind == JsonValueKind.Null ? null : rules.GetProperty(name).GetDecimal();
        return new
        {
            price,
            priceCurrency = product.GetProperty("priceCurrency").GetString(),
            active = true,
            tradingRules = new
            {
                profitTargetPhase1 = Optional("profitTargetPhase1"),
                profitTargetPhase2 = Optional("profitTargetPhase2"),
                maxDailyDrawdown = rules.GetProperty("maxDailyDrawdown").GetDecimal(),
                maxTotalDrawdown = rules.GetProperty("maxTotalDrawdown").GetDecimal(),
                minTradingDays = rules.GetProperty("minTradingDays").GetInt32(),
                profitSplit = Math.Min(rules.GetProperty("profitSplit").GetDecimal() + 10m, 100m),
                leverage = rules.GetProperty("leverage").GetString(),
            },
        };
    }
}
