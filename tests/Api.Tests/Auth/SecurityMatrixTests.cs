using System.Net;
using System.Net.Http.Json;
using Dapper;
using FlashFundX.TestSupport.Service;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Auth;

/// <summary>Every endpoint × {anonymous, expired token, token signed with another key, owner A, other user B, admin}.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecurityMatrixTests() : ApiTestBase("security")
{
    /// <summary>The demo price list's terms of hft 5000 (sql/seed/demo-products.json): a PUT that changes nothing.</summary>
    private static readonly object Hft5000Terms = new
    {
        price = 69m, priceCurrency = "usd", active = true,
        tradingRules = new { profitTargetPhase1 = 8m, profitTargetPhase2 = (decimal?)null, maxDailyDrawdown = 5m, maxTotalDrawdown = 10m, minTradingDays = 0, profitSplit = 80m, leverage = "1:100" },
    };

    [Fact]
    public async Task EveryEndpoint_EveryCaller_GetsExpectedStatus()
    {
        var ids = Identities;
        var orderOfA = await CreateOrderAsync(ids.UserA);
        var accountToPatch = await ImportAccountAsync("matrix-patch");
        var accountToDelete = await ImportAccountAsync("matrix-delete");
        var callers = new (string Name, string? Token)[]
        {
            ("anonymous", null), ("expired", ids.Expired), ("wrong-key", ids.WrongKey),
            ("owner A", ids.UserA), ("other user B", ids.UserB), ("admin", ids.Admin),
        };
        var login = 0;
        var endpoints = new (string Name, Func<HttpRequestMessage> Request, int[] Expected)[]
        {
            ("GET /products", () => Get("/products"), [200, 200, 200, 200, 200, 200]),
            ("GET /products/{type}/{size}", () => Get("/products/two_step/10000"), [200, 200, 200, 200, 200, 200]),
            ("GET /me", () => Get("/me"), [401, 401, 401, 200, 200, 200]),
            ("GET /me/accounts", () => Get("/me/accounts"), [401, 401, 401, 200, 200, 200]),
            ("PATCH /me", () => new HttpRequestMessage(HttpMethod.Patch, "/me") { Content = JsonContent.Create(new { country = "DE" }) }, [401, 401, 401, 200, 200, 200]),
            ("POST /orders", () => Post("/orders", OrderBody()), [401, 401, 401, 201, 201, 201]),
            ("GET /orders/{id}", () => Get($"/orders/{orderOfA}"), [401, 401, 401, 200, 404, 200]),
            ("GET /orders", () => Get("/orders"), [401, 401, 401, 200, 200, 200]),
            ("GET /orders/{id}/events", () => Get($"/orders/{orderOfA}/events"), [401, 401, 401, 200, 404, 200]),
            ("GET /orders/events", () => Get("/orders/events"), [401, 401, 401, 200, 200, 200]),
            ("GET /orders/{id}/account", () => Get($"/orders/{orderOfA}/account"), [401, 401, 401, 409, 404, 404]),
            ("GET /admin/inventory", () => Get("/admin/inventory"), [401, 401, 401, 403, 403, 200]),
            ("POST /admin/inventory", () => Post("/admin/inventory", InventoryBody($"m-{++login}")), [401, 401, 401, 403, 403, 201]),
            ("GET /admin/products", () => Get("/admin/products"), [401, 401, 401, 403, 403, 200]),
            ("PUT /admin/products/{type}/{size}", () => new HttpRequestMessage(HttpMethod.Put, "/admin/products/hft/5000") { Content = JsonContent.Create(Hft5000Terms) }, [401, 401, 401, 403, 403, 200]),
            ("DELETE /admin/products/{type}/{size}", () => new HttpRequestMessage(HttpMethod.Delete, "/admin/products/hft/200000"), [401, 401, 401, 403, 403, 204]),
            ("GET /admin/inventory/accounts", () => Get("/admin/inventory/accounts"), [401, 401, 401, 403, 403, 200]),
            ("PATCH /admin/inventory/accounts/{id}", () => new HttpRequestMessage(HttpMethod.Patch, $"/admin/inventory/accounts/{accountToPatch}") { Content = JsonContent.Create(new { status = "disabled" }) }, [401, 401, 401, 403, 403, 200]),
            ("DELETE /admin/inventory/accounts/{id}", () => new HttpRequestMessage(HttpMethod.Delete, $"/admin/inventory/accounts/{accountToDelete}"), [401, 401, 401, 403, 403, 204]),
            ("GET /admin/audit", () => Get("/admin/audit"), [401, 401, 401, 403, 403, 200]),
            ("GET /admin/users", () => Get("/admin/users"), [401, 401, 401, 403, 403, 200]),
            ("GET /admin/users/{id}", () => Get($"/admin/users/{ids.UserAId}"), [401, 401, 401, 403, 403, 200]),
            // Unpaid with a running run: nothing to retry.
            ("POST /admin/orders/{id}/retry-delivery", () => new HttpRequestMessage(HttpMethod.Post, $"/admin/orders/{orderOfA}/retry-delivery"), [401, 401, 401, 403, 403, 409]),
            ("POST /admin/orders/{id}/cancel", () => Post($"/admin/orders/{orderOfA}/cancel", new { reason = "matrix" }), [401, 401, 401, 403, 403, 202]),
        };

        var mismatches = new List<string>();
        foreach (var (endpoint, request, expected) in endpoints)
        {
            for (var i = 0; i < callers.Length; i++)
            {
                using var client = Service.CreateClient(callers[i].Token);
                // Headers only: an event stream's status is known at once, its body never ends; disposing closes it.
                using var response = await client.SendAsync(request(), HttpCompletionOption.ResponseHeadersRead);
                if ((int)response.StatusCode != expected[i])
                {
                    mismatches.Add($"{endpoint} as {callers[i].Name}: expected {expected[i]}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (expected[i] >= 400)
                {
                    await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)expected[i]);
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public async Task Unauthenticated_Answers401ProblemWithBearerChallenge()
    {
        using var anonymous = Service.CreateClient();
        using var expired = Service.CreateClient(Identities.Expired);

        using var noToken = await anonymous.GetAsync("/orders");
        using var expiredToken = await expired.GetAsync("/orders");

        var problem = await ProblemAssert.IsProblemAsync(noToken, HttpStatusCode.Unauthorized);
        Assert.Equal("A bearer token is required.", problem.GetProperty("detail").GetString());
        Assert.StartsWith("Bearer", noToken.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var expiredProblem = await ProblemAssert.IsProblemAsync(expiredToken, HttpStatusCode.Unauthorized);
        Assert.Equal("The bearer token has expired.", expiredProblem.GetProperty("detail").GetString());
        Assert.Contains("invalid_token", expiredToken.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithoutUuidSubject_IsRejected()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "not-a-uuid", ["email"] = "x@example.test", ["role"] = "admin" },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(Service.SigningKey)), "HS256"),
        });
        using var client = Service.CreateClient(token);

        using var response = await client.GetAsync("/admin/inventory");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OtherUser_CannotFindOrderByGuessingOrListing()
    {
        var ids = Identities;
        var orderOfA = await CreateOrderAsync(ids.UserA);
        var orderOfB = await CreateOrderAsync(ids.UserB);
        using var b = Service.CreateClient(ids.UserB);
        using var admin = Service.CreateClient(ids.Admin);

        using var existing = await b.GetAsync($"/orders/{orderOfA}");
        using var missing = await b.GetAsync("/orders/FFX000000000");
        using var garbage = await b.GetAsync("/orders/../../etc");
        var listOfB = await b.GetFromJsonAsync<System.Text.Json.JsonElement>("/orders?pageSize=100");
        var listOfAdmin = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/orders?pageSize=100");

        var existingProblem = await ProblemAssert.IsProblemAsync(existing, HttpStatusCode.NotFound);
        var missingProblem = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal(missingProblem.GetProperty("title").GetString(), existingProblem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        var idsOfB = listOfB.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!).ToArray();
        Assert.Equal([orderOfB], idsOfB);
        var idsOfAdmin = listOfAdmin.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!).ToArray();
        Assert.Contains(orderOfA, idsOfAdmin);
        Assert.Contains(orderOfB, idsOfAdmin);
    }

    [Fact]
    public async Task FirstRequest_CreatesUserRow_WithRoleFromTokenOnly()
    {
        var userWithAdminLookingEmail = Guid.NewGuid();
        var token = FulfillmentApi.IssueToken(Service.SigningKey, userWithAdminLookingEmail, "admin@flashfundx.com", admin: false);
        using var pretender = Service.CreateClient(token);
        using var admin = Service.CreateClient(Identities.Admin);

        using var forbidden = await pretender.GetAsync("/admin/inventory");
        using var allowed = await admin.GetAsync("/admin/inventory");

        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var roles = (await connection.QueryAsync<(Guid, string, string)>(
            "SELECT id, email, role FROM users WHERE id = ANY(@Ids)", new { Ids = new[] { userWithAdminLookingEmail, Identities.AdminId } }))
            .ToDictionary(r => r.Item1, r => (Email: r.Item2, Role: r.Item3));
        Assert.Equal(("admin@flashfundx.com", "user"), roles[userWithAdminLookingEmail]);
        Assert.Equal(("ops@example.test", "admin"), roles[Identities.AdminId]);
    }

    private async Task<string> CreateOrderAsync(string token)
    {
        using var client = Service.CreateClient(token);
        using var response = await client.PostAsJsonAsync("/orders", OrderBody());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Json.ReadAsync(response)).GetProperty("orderId").GetString()!;
    }

    /// <summary>Imports one account as the admin and returns its id.</summary>
    private async Task<long> ImportAccountAsync(string login)
    {
        using var admin = Service.CreateClient(Identities.Admin);
        using var response = await admin.PostAsJsonAsync("/admin/inventory", InventoryBody(login));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await OrderSteps.ScalarAsync<long>(Database, "SELECT id FROM account_container WHERE login = @login", new { login });
    }

    private static object OrderBody() => new { accountType = "two_step", accountSize = 10000, platform = "mt5", payCurrency = "usdt_trc20" };

    private static object InventoryBody(string login) => new
    {
        accounts = new[] { new { login, password = "Pw-" + login, investorPassword = "Inv-" + login, server = "FFX-Demo", platform = "mt4", accountSize = 5000 } },
    };

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
}
