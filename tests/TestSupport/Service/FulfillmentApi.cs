using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FlashFundX.DevHost.Auth;

namespace FlashFundX.TestSupport.Service;

/// <summary>
/// The calls a customer and an admin make to the service over HTTP, for any running API: the in-process
/// <see cref="FulfillmentService"/> and the published hosts of the production-mode tests alike.
/// </summary>
public static class FulfillmentApi
{
    /// <summary>The <c>Auth:Issuer</c> every test instance and published host is given, and its tokens carry.</summary>
    public const string TokenIssuer = "https://id.flashfundx.test/";

    /// <summary>The <c>Auth:Audience</c> every test instance and published host is given, and its tokens carry.</summary>
    public const string TokenAudience = "flashfundx-api";

    /// <summary>
    /// A token as the test hosts' identity provider issues it (<see cref="TokenIssuer"/>, <see cref="TokenAudience"/>,
    /// 12 hours unless <paramref name="lifetime"/> says otherwise).
    /// </summary>
    public static string IssueToken(
        string signingKey, Guid userId, string email, bool admin = false, TimeSpan? lifetime = null, DateTime? issuedAt = null) =>
        DevTokens.Issue(signingKey, userId, email, admin, lifetime, TokenIssuer, TokenAudience, issuedAt);

    /// <summary>An HTTP client for the API at <paramref name="baseAddress"/> with <paramref name="bearerToken"/> (anonymous when null).</summary>
    public static HttpClient CreateClient(Uri baseAddress, string? bearerToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
        return client;
    }

    /// <summary>A new customer (fresh id) with a token signed with <paramref name="signingKey"/> (<c>Auth:SigningKey</c>).</summary>
    public static TestUser NewUser(string signingKey, string? email = null)
    {
        var id = Guid.NewGuid();
        email ??= $"trader-{id.ToString("N")[..8]}@example.test";
        return new TestUser(id, email, IsAdmin: false, IssueToken(signingKey, id, email));
    }

    /// <summary>A new admin (fresh id) with a token signed with <paramref name="signingKey"/>.</summary>
    public static TestUser NewAdmin(string signingKey, string? email = null)
    {
        var id = Guid.NewGuid();
        email ??= $"ops-{id.ToString("N")[..8]}@example.test";
        return new TestUser(id, email, IsAdmin: true, IssueToken(signingKey, id, email, admin: true));
    }

    /// <summary><c>POST /orders</c>; fails unless the answer is 201.</summary>
    public static async Task<OrderSnapshot> CreateOrderAsync(
        HttpClient client,
        string accountType = "two_step",
        int accountSize = 10000,
        string platform = "mt5",
        string payCurrency = "usdt_trc20",
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders")
        {
            Content = JsonContent.Create(new { accountType, accountSize, platform, payCurrency }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /orders answered {(int)response.StatusCode}: {body}");
        }
        return OrderSnapshot.From(JsonDocument.Parse(body).RootElement);
    }

    /// <summary><c>GET /orders/{id}</c>; fails unless 200.</summary>
    public static async Task<OrderSnapshot> GetOrderAsync(HttpClient client, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri($"orders/{orderId}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /orders/{orderId} answered {(int)response.StatusCode}: {body}");
        }
        return OrderSnapshot.From(JsonDocument.Parse(body).RootElement);
    }

    /// <summary><paramref name="count"/> new accounts with random passwords, for <see cref="ImportInventoryAsync"/>.</summary>
    public static IReadOnlyList<InventoryAccountSpec> NewAccounts(
        int count, int accountSize = 10000, string platform = "mt5", string? prefix = null, string server = "FFX-Live-01")
    {
        prefix ??= "acc-" + Guid.NewGuid().ToString("N")[..8];
        return Enumerable.Range(1, count)
            .Select(i => new InventoryAccountSpec(
                $"{prefix}-{i}", $"Pw!{RandomToken(9)}", $"Inv!{RandomToken(9)}", server, platform, accountSize))
            .ToArray();
    }

    /// <summary><c>POST /admin/inventory</c> as <paramref name="adminClient"/>; fails unless 201. Waiting orders are signalled by the API.</summary>
    public static async Task<InventoryImport> ImportInventoryAsync(
        HttpClient adminClient, IReadOnlyList<InventoryAccountSpec> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adminClient);
        ArgumentNullException.ThrowIfNull(accounts);
        using var response = await adminClient.PostAsJsonAsync("admin/inventory", new { accounts }, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /admin/inventory answered {(int)response.StatusCode}: {body}");
        }
        var json = JsonDocument.Parse(body).RootElement;
        return new InventoryImport(
            json.GetProperty("imported").GetInt32(),
            json.GetProperty("skipped").GetInt32(),
            json.TryGetProperty("notifiedOrders", out var notified) ? notified.GetInt32() : 0,
            accounts);
    }

    /// <summary>A random lowercase hex string of <paramref name="bytes"/> bytes (secrets, passwords), easy to search logs for.</summary>
    public static string RandomToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
