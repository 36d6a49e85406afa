using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Catalogue;

/// <summary>Admins keep the price list: create, reprice, take off sale; every change audited, orders already placed untouched.</summary>
public sealed class AdminProductsTests() : ApiTestBase("adminproducts")
{
    private static object Body(decimal price, bool active = true, decimal? phase2 = 5m, decimal profitSplit = 80m) => new
    {
        price,
        priceCurrency = "usd",
        tradingRules = new
        {
            profitTargetPhase1 = 8m, profitTargetPhase2 = phase2, maxDailyDrawdown = 5m, maxTotalDrawdown = 10m,
            minTradingDays = 4, profitSplit, leverage = "1:100",
        },
        active,
    };

    [Fact]
    public async Task Put_NewProduct_201_OnSaleInTheCatalogue_AuditedWithAfter()
    {
        using var anonymous = Service.CreateClient((string?)null);

        using var created = await Service.AdminClient.PutAsJsonAsync("/admin/products/two_step/300000", Body(1299m));
        using var product = await anonymous.GetAsync("/products/two_step/300000");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/products/two_step/300000", created.Headers.Location!.OriginalString);
        Assert.Equal(1299m, (await Json.ReadAsync(created)).GetProperty("price").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, product.StatusCode);
        Assert.Equal(1299m, (await Json.ReadAsync(product)).GetProperty("price").GetDecimal());
        var audit = await AuditAsync("two_step/300000");
        Assert.Equal("product.put", Assert.Single(audit).Action);
        Assert.Equal(JsonValueKind.Null, audit[0].Details.GetProperty("before").ValueKind);
        Assert.Equal(1299m, audit[0].Details.GetProperty("after").GetProperty("terms").GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Put_NewPrice_NewOrdersCostIt_PlacedOrderKeepsItsPrice_AuditedBeforeAndAfter()
    {
        using var user = Service.CreateClient(Service.NewUser());
        var placed = await OrderSteps.CreateAsync(user, OrderSteps.Body("two_step", 25_000));
        var oldPrice = placed.GetProperty("priceAmount").GetDecimal();

        using var repriced = await Service.AdminClient.PutAsJsonAsync("/admin/products/two_step/25000", Body(oldPrice + 50m));
        var next = await OrderSteps.CreateAsync(user, OrderSteps.Body("two_step", 25_000));
        var placedAgain = await OrderSteps.GetAsync(user, placed.GetProperty("orderId").GetString()!);

        Assert.Equal(HttpStatusCode.OK, repriced.StatusCode);
        Assert.Equal(oldPrice + 50m, next.GetProperty("priceAmount").GetDecimal());
        Assert.Equal(oldPrice, placedAgain.GetProperty("priceAmount").GetDecimal());
        var audit = Assert.Single(await AuditAsync("two_step/25000"));
        Assert.Equal(oldPrice, audit.Details.GetProperty("before").GetProperty("terms").GetProperty("price").GetDecimal());
        Assert.Equal(oldPrice + 50m, audit.Details.GetProperty("after").GetProperty("terms").GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Put_SameTermsAgain_200_NothingAudited()
    {
        using var first = await Service.AdminClient.PutAsJsonAsync("/admin/products/two_step/400000", Body(1500m));
        using var again = await Service.AdminClient.PutAsJsonAsync("/admin/products/two_step/400000", Body(1500m));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await AuditAsync("two_step/400000"));
    }

    [Theory]
    [InlineData("two_step", "{\"price\":-5,\"priceCurrency\":\"usd\",\"tradingRules\":{\"profitTargetPhase1\":8,\"profitTargetPhase2\":5,\"maxDailyDrawdown\":5,\"maxTotalDrawdown\":10,\"minTradingDays\":4,\"profitSplit\":80,\"leverage\":\"1:100\"}}", "price")]
    [InlineData("two_step", "{\"price\":10.555,\"priceCurrency\":\"usd\",\"tradingRules\":{\"profitTargetPhase1\":8,\"profitTargetPhase2\":5,\"maxDailyDrawdown\":5,\"maxTotalDrawdown\":10,\"minTradingDays\":4,\"profitSplit\":80,\"leverage\":\"1:100\"}}", "price")]
    [InlineData("one_step", "{\"price\":10,\"priceCurrency\":\"usd\",\"tradingRules\":{\"profitTargetPhase1\":8,\"profitTargetPhase2\":5,\"maxDailyDrawdown\":5,\"maxTotalDrawdown\":10,\"minTradingDays\":4,\"profitSplit\":80,\"leverage\":\"1:100\"}}", "tradingRules.profitTargetPhase2")]
    [InlineData("two_step", "{\"price\":10,\"priceCurrency\":\"USD\",\"tradingRules\":{\"profitTargetPhase1\":8,\"profitTargetPhase2\":5,\"maxDailyDrawdown\":5,\"maxTotalDrawdown\":101,\"minTradingDays\":4,\"profitSplit\":80,\"leverage\":\"100\"}}", "tradingRules.maxTotalDrawdown")]
    [InlineData("two_step", "{\"price\":10,\"priceCurrency\":\"usd\"}", "tradingRules")]
    [InlineData("three_step", "{\"price\":10,\"priceCurrency\":\"usd\",\"tradingRules\":{\"profitTargetPhase1\":8,\"profitTargetPhase2\":5,\"maxDailyDrawdown\":5,\"maxTotalDrawdown\":10,\"minTradingDays\":4,\"profitSplit\":80,\"leverage\":\"1:100\"}}", "accountType")]
    public async Task Put_BadValues_400NamingTheField_NothingWritten(string accountType, string body, string field)
    {
        var rowsBefore = await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM trading_rules");

        using var response = await Service.AdminClient.PutAsync($"/admin/products/{accountType}/10000", Json.Raw(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(rowsBefore, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM trading_rules"));
        Assert.Empty(await AuditAsync($"{accountType}/10000"));
    }

    [Fact]
    public async Task Delete_TakesOffSale_CatalogueAndOrders404And400_StillListedForAdmins_Audited()
    {
        using var user = Service.CreateClient(Service.NewUser());
        using var anonymous = Service.CreateClient((string?)null);

        using var deleted = await Service.AdminClient.DeleteAsync("/admin/products/hft/200000");
        using var again = await Service.AdminClient.DeleteAsync("/admin/products/hft/200000");
        using var unknown = await Service.AdminClient.DeleteAsync("/admin/products/hft/123");
        using var inCatalogue = await anonymous.GetAsync("/products/hft/200000");
        using var order = await user.PostAsJsonAsync("/orders", OrderSteps.Body("hft", 200_000));
        var listed = await Json.ReadAsync(await Service.AdminClient.GetAsync("/admin/products"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(inCatalogue, HttpStatusCode.NotFound);
        var problem = await ProblemAssert.IsProblemAsync(order, HttpStatusCode.BadRequest, "accountSize");
        Assert.Contains("hft 200000 is not on sale", problem.GetRawText(), StringComparison.Ordinal);
        var hft200k = listed.EnumerateArray().Single(p => p.GetProperty("accountType").GetString() == "hft" && p.GetProperty("accountSize").GetInt32() == 200_000);
        Assert.False(hft200k.GetProperty("active").GetBoolean());
        Assert.Equal("product.deactivate", Assert.Single(await AuditAsync("hft/200000")).Action);
    }

    private async Task<IReadOnlyList<(string Action, JsonElement Details)>> AuditAsync(string target)
    {
        var rows = await Service.QueryAsync<(string Action, string Details)>(
            "SELECT action, details::text FROM admin_audit_log WHERE target = @target ORDER BY id", new { target });
        return [.. rows.Select(r => (r.Action, JsonDocument.Parse(r.Details).RootElement.Clone()))];
    }
}
