using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Admin;

/// <summary><c>GET /admin/orders</c> (filters, paging, newest first) and <c>GET /admin/orders/{orderId}</c> (everything recorded, no secrets).</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminOrderQueriesTests() : ApiTestBase("adminorders", worker: true)
{
    [Fact]
    public async Task List_Filters_NewestFirst_Paged()
    {
        var alice = Service.NewUser($"alice-{Guid.NewGuid():N}@example.test");
        var bob = Service.NewUser();
        using var a = Service.CreateClient(alice);
        using var b = Service.CreateClient(bob);
        var first = await CreateAsync(a);
        var second = await CreateAsync(a);
        var ofBob = await CreateAsync(b);
        var invoiceOfBob = (await OrderSteps.GetAsync(b, ofBob)).GetProperty("invoiceId").GetString()!;

        var byUser = await ListAsync($"userId={alice.Id}");
        var byEmail = await ListAsync($"email={Uri.EscapeDataString(alice.Email.ToUpperInvariant())}");
        var byOrderId = await ListAsync($"q={ofBob}");
        var byInvoice = await ListAsync($"q={Uri.EscapeDataString(invoiceOfBob)}");
        var byStatus = await ListAsync("status=awaiting_payment&pageSize=200");
        var cancelled = await ListAsync($"status=cancelled&userId={alice.Id}");
        var pageTwo = await ListAsync($"userId={alice.Id}&pageSize=1&page=2");
        var future = await ListAsync($"userId={alice.Id}&from={Uri.EscapeDataString(DateTime.UtcNow.AddHours(1).ToString("o", CultureInfo.InvariantCulture))}");

        Assert.Equal([second, first], Ids(byUser));
        Assert.Equal(2, byUser.GetProperty("total").GetInt64());
        Assert.Equal([second, first], Ids(byEmail));
        Assert.Equal(alice.Email, byEmail.GetProperty("items")[0].GetProperty("userEmail").GetString());
        Assert.Equal([ofBob], Ids(byOrderId));
        Assert.Equal([ofBob], Ids(byInvoice));
        Assert.Contains(ofBob, Ids(byStatus));
        Assert.Empty(Ids(cancelled));
        Assert.Equal([first], Ids(pageTwo));
        Assert.Equal(2, pageTwo.GetProperty("total").GetInt64());
        Assert.Empty(Ids(future));
    }

    [Theory]
    [InlineData("status=paid_maybe", "status")]
    [InlineData("stage=nowhere", "stage")]
    [InlineData("paymentStatus=lost", "paymentStatus")]
    [InlineData("userId=not-a-uuid", "userId")]
    [InlineData("from=yesterday", "from")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task List_InvalidFilter_400NamingIt(string query, string field)
    {
        using var response = await Service.AdminClient.GetAsync($"/admin/orders?{query}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Detail_OpenOrder_HasRecordsAndRunStatus_NoSecrets_ClosedOrder_StatusNullWithReason()
    {
        using var owner = Service.CreateClient(Service.NewUser());
        var orderId = await CreateAsync(owner);
        var price = (await OrderSteps.GetAsync(owner, orderId)).GetProperty("priceAmount").GetDecimal();
        using var provider = Service.CreateClient((string?)null);
        using (var ipn = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, "8200001", "waiting", price), Service.IpnSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, ipn.StatusCode);
        }
        await OrderSteps.WaitForAsync(owner, orderId, "paymentStatus", "waiting");

        using var open = await Service.AdminClient.GetAsync($"/admin/orders/{orderId}");
        var text = await open.Content.ReadAsStringAsync();
        var detail = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(orderId, detail.GetProperty("order").GetProperty("orderId").GetString());
        Assert.Equal("waiting", detail.GetProperty("paymentReports")[0].GetProperty("providerStatus").GetString());
        var webhook = detail.GetProperty("webhookEvents")[0];
        Assert.Equal("accepted", webhook.GetProperty("outcome").GetString());
        Assert.Equal(price, webhook.GetProperty("priceAmount").GetDecimal());
        Assert.False(webhook.TryGetProperty("body", out _));
        Assert.DoesNotContain(Service.IpnSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("x-nowpayments-sig", text, StringComparison.OrdinalIgnoreCase);
        Assert.True(detail.GetProperty("orderEvents").GetArrayLength() >= 2);
        Assert.Equal("awaiting_payment", detail.GetProperty("workflow").GetProperty("status").GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("workflow").GetProperty("unavailable").ValueKind);

        using var cancel = await Service.AdminClient.PostAsJsonAsync($"/admin/orders/{orderId}/cancel", new { reason = "test" });
        await Service.WaitForWorkflowResultAsync(orderId);
        var closed = await Service.AdminClient.GetFromJsonAsync<JsonElement>($"/admin/orders/{orderId}");
        using var unknown = await Service.AdminClient.GetAsync("/admin/orders/FFX000000002");

        Assert.Equal("cancelled", closed.GetProperty("order").GetProperty("orderStatus").GetString());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("workflow").GetProperty("status").ValueKind);
        Assert.Contains("closed", closed.GetProperty("workflow").GetProperty("unavailable").GetString(), StringComparison.Ordinal);
        Assert.Contains(closed.GetProperty("emails").EnumerateArray(), e => e.GetProperty("kind").GetString() == "cancelled");
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Detail_DeliveredOrder_ShowsLoginAndServer_NeverAPassword()
    {
        var import = await Service.ImportInventoryAsync(1, prefix: "det");
        using var owner = Service.CreateClient(Service.NewUser());
        var orderId = await CreateAsync(owner);
        var price = (await OrderSteps.GetAsync(owner, orderId)).GetProperty("priceAmount").GetDecimal();
        using var provider = Service.CreateClient((string?)null);
        using (var ipn = await provider.SendAsync(IpnBuilder.SignedRequest(IpnBuilder.Body(orderId, "8200002", "finished", price), Service.IpnSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, ipn.StatusCode);
        }
        await OrderSteps.WaitForAsync(owner, orderId, "deliveryStatus", "delivered");

        var text = await Service.AdminClient.GetStringAsync($"/admin/orders/{orderId}");
        var account = JsonDocument.Parse(text).RootElement.GetProperty("deliveredAccount");

        Assert.Equal(import.Accounts[0].Login, account.GetProperty("login").GetString());
        Assert.Equal(import.Accounts[0].Server, account.GetProperty("server").GetString());
        Assert.DoesNotContain(import.Accounts[0].Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(import.Accounts[0].InvestorPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> CreateAsync(HttpClient owner)
    {
        var orderId = (await OrderSteps.CreateAsync(owner)).GetProperty("orderId").GetString()!;
        await OrderSteps.WaitForAsync(owner, orderId, "orderStatus", "awaiting_payment");
        return orderId;
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await Service.AdminClient.GetAsync($"/admin/orders?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadAsync(response);
    }

    private static string[] Ids(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!)];
}
