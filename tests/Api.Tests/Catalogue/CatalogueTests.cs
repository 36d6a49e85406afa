using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Catalogue;

/// <summary>The public catalogue (anonymous, cacheable) and CORS for the configured frontend origin only.</summary>
public sealed class CatalogueTests() : ApiTestBase("catalogue", configure: options => options.Settings["Frontend:Origins:0"] = ShopOrigin)
{
    private const string ShopOrigin = "https://shop.example.test";

    [Fact]
    public async Task ListProducts_Anonymous_EveryActiveProductByTypeThenSize_StockAsFlags()
    {
        await Service.ImportInventoryAsync(1, accountSize: 25_000, platform: "mt4");
        using var client = Service.CreateClient((string?)null);

        using var response = await client.GetAsync(new Uri("/products", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var products = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
        var keys = products.Select(p => (Type: p.GetProperty("accountType").GetString()!, Size: p.GetProperty("accountSize").GetInt32())).ToArray();
        Assert.Equal(await ActiveRulesAsync(), keys);
        Assert.Equal(keys.OrderBy(k => k.Type, StringComparer.Ordinal).ThenBy(k => k.Size), keys);
        var twoStep25k = products.Single(p => p.GetProperty("accountType").GetString() == "two_step" && p.GetProperty("accountSize").GetInt32() == 25_000);
        Assert.Equal(
            [("mt4", true), ("mt5", false)],
            twoStep25k.GetProperty("platforms").EnumerateArray().Select(p => (p.GetProperty("platform").GetString(), p.GetProperty("inStock").GetBoolean())));
        Assert.Equal(25_000, twoStep25k.GetProperty("tradingRules").GetProperty("accountSize").GetInt32());
        Assert.True(twoStep25k.GetProperty("price").GetDecimal() > 0);
        Assert.False(twoStep25k.GetProperty("platforms")[0].TryGetProperty("count", out _));
    }

    [Fact]
    public async Task ListProducts_IfNoneMatch_304UntilStockChanges()
    {
        using var client = Service.CreateClient((string?)null);
        using var first = await client.GetAsync(new Uri("/products", UriKind.Relative));
        var etag = first.Headers.ETag!;
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        Assert.Contains("Origin", first.Headers.Vary);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/products");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        await Service.ImportInventoryAsync(1, accountSize: 50_000, platform: "mt5");
        using var afterRestock = new HttpRequestMessage(HttpMethod.Get, "/products");
        afterRestock.Headers.IfNoneMatch.Add(etag);
        using var changed = await client.SendAsync(afterRestock);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Theory]
    [InlineData("/products/two_step/10000", HttpStatusCode.OK)]
    [InlineData("/products/two_step/12345", HttpStatusCode.NotFound)]
    [InlineData("/products/golden/10000", HttpStatusCode.NotFound)]
    public async Task GetProduct_KnownOrNot(string path, HttpStatusCode expected)
    {
        using var client = Service.CreateClient((string?)null);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var product = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("two_step", 10_000), (product.GetProperty("accountType").GetString(), product.GetProperty("accountSize").GetInt32()));
        }
        else
        {
            await ProblemAssert.IsProblemAsync(response, expected);
        }
    }

    [Fact]
    public async Task Preflight_ConfiguredOrigin_Allowed_OtherOriginAndWebhook_NoCorsHeaders()
    {
        using var client = Service.CreateClient((string?)null);

        using var allowed = await client.SendAsync(Preflight("/orders", ShopOrigin, "POST", "authorization,content-type,idempotency-key"));
        using var other = await client.SendAsync(Preflight("/orders", "https://evil.example.test", "POST", "authorization"));
        using var webhook = await client.SendAsync(Preflight("/webhooks/nowpayments", ShopOrigin, "POST", "content-type"));

        Assert.True(allowed.IsSuccessStatusCode, $"{(int)allowed.StatusCode}");
        Assert.Equal(ShopOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("idempotency-key", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(webhook.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task SimpleRequest_ConfiguredOrigin_GetsAllowOriginAndExposedETag()
    {
        using var client = Service.CreateClient((string?)null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/products");
        request.Headers.Add("Origin", ShopOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(ShopOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private async Task<(string Type, int Size)[]> ActiveRulesAsync() =>
        [.. (await Service.QueryAsync<(string, int)>(
            "SELECT account_type, account_size FROM trading_rules WHERE is_active ORDER BY account_type, account_size"))];
}
