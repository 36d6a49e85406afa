using System.Net;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// A NUL character (<c>\u0000</c>) in the text of an admin or profile request (found by the OpenAPI fuzz test):
/// PostgreSQL text and jsonb cannot hold one, so it answered 500, and the cancel had already signalled the run. Now
/// 400 problem details naming the field, and nothing written or signalled.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NulCharacterTests() : ApiTestBase("nul")
{
    [Theory]
    [InlineData("login")]
    [InlineData("server")]
    [InlineData("password")]
    [InlineData("investorPassword")]
    public async Task ImportInventory_NulInText_Returns400_NothingImported(string field)
    {
        var account = new Dictionary<string, object>
        {
            ["login"] = "nul-1", ["password"] = "Pw-nul-1", ["investorPassword"] = "Inv-nul-1", ["server"] = "FFX-Live-01", ["platform"] = "mt5", ["accountSize"] = 10000,
        };
        account[field] = "a\0b";

        using var response = await Service.AdminClient.PostAsync(new Uri("/admin/inventory", UriKind.Relative), Json.Of(new { accounts = new[] { account } }));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"accounts[0].{field}");
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM account_container"));
    }

    [Fact]
    public async Task CancelOrder_NulInReason_Returns400_NothingSignalledOrAudited()
    {
        using var customer = Service.CreateClient(Service.NewUser());
        var order = await Service.CreateOrderAsync(customer);

        using var response = await Service.AdminClient.PostAsync(new Uri($"/admin/orders/{order.OrderId}/cancel", UriKind.Relative), Json.Raw("""{"reason":"refund\u0000"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "reason");
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM admin_audit_log WHERE target = @OrderId", new { order.OrderId }));
        Assert.Equal(0, await WorkflowHistory.CountSignalsAsync(Temporal, order.OrderId, "Cancel"));
    }

    [Theory]
    [InlineData("firstName")]
    [InlineData("lastName")]
    public async Task PatchMe_NulInName_Returns400_ProfileUnchanged(string field)
    {
        var user = Service.NewUser();
        using var customer = Service.CreateClient(user);

        using var response = await customer.PatchAsync(new Uri("/me", UriKind.Relative), Json.Raw($$"""{"{{field}}":"Ada\u0000"}""", "application/merge-patch+json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        Assert.Equal((string?)null, await connection.ExecuteScalarAsync<string?>("SELECT coalesce(first_name, last_name) FROM users WHERE id = @Id", new { user.Id }));
    }
}
