using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Postgres;
using Xunit;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>Order helpers shared by the flow tests.</summary>
public static class OrderSteps
{
    private static int _paymentIds = 7_000_000;

    public static object Body(string accountType = "two_step", int accountSize = 10000, string platform = "mt5", string payCurrency = "usdt_trc20") =>
        new { accountType, accountSize, platform, payCurrency };

    public static async Task<JsonElement> CreateAsync(HttpClient client, object? body = null, string? idempotencyKey = null)
    {
        using var response = await PostAsync(client, body, idempotencyKey);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    /// <summary><c>POST /orders</c>, whatever it answers.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, object? body = null, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(body ?? Body()) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string orderId)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.GetFromJsonAsync<JsonElement>($"/orders/{orderId}");
    }

    /// <summary>Waits until the order's <paramref name="field"/> reads <paramref name="value"/>.</summary>
    public static Task<JsonElement> WaitForAsync(HttpClient client, string orderId, string field, string value, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(
            () => GetAsync(client, orderId),
            o => o.GetProperty(field).GetString() == value,
            timeout ?? TimeSpan.FromSeconds(30),
            $"order {orderId} {field} = {value}");

    public static async Task ImportAsync(HttpClient admin, int count, int accountSize = 10000, string platform = "mt5", string prefix = "acc")
    {
        ArgumentNullException.ThrowIfNull(admin);
        var accounts = Enumerable.Range(1, count).Select(i => new
        {
            login = $"{prefix}-{i}",
            password = $"Pw!{prefix}-{i}",
            investorPassword = $"Inv!{prefix}-{i}",
            server = "FFX-Live-01",
            platform,
            accountSize,
        }).ToArray();
        using var response = await admin.PostAsJsonAsync("/admin/inventory", new { accounts });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends the order's signed "finished" IPN for <paramref name="price"/> with a fresh payment id.</summary>
    public static async Task PayAsync(HttpClient provider, string ipnSecret, string orderId, decimal price)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var paymentId = Interlocked.Increment(ref _paymentIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, paymentId, "finished", price), ipnSecret));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task<T> ScalarAsync<T>(TestDatabase database, string sql, object? args = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }
}
