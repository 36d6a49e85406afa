using System.Net;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport;
using Xunit;

namespace FlashFundX.Api.Tests.Limits;

/// <summary>
/// <c>Limits:OpenUnpaidOrdersPerUser</c> (3 here), enforced by <c>create_order</c> under a per-user lock. No worker runs,
/// so every order stays open and unpaid (<c>created</c>) unless a test moves it on as the workflow would.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenUnpaidOrderLimitTests() : ApiTestBase("quota", configure: options =>
    options.Settings["Limits:OpenUnpaidOrdersPerUser"] = "3")
{
    [Fact]
    public async Task CreateOrder_AtTheCap_429NamingTheSetting_ReplayStillAnswered_OtherUserCreates()
    {
        var user = Service.NewUser();
        var client = Service.CreateClient(user);
        var keyed = await OrderSteps.CreateAsync(client, idempotencyKey: "quota-first");
        await OrderSteps.CreateAsync(client);
        await OrderSteps.CreateAsync(client);

        using var refused = await OrderSteps.PostAsync(client);
        using var replay = await OrderSteps.PostAsync(client, idempotencyKey: "quota-first");
        var otherUsers = await OrderSteps.CreateAsync(Service.CreateClient(Service.NewUser()));

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("Limits:OpenUnpaidOrdersPerUser", problem.GetProperty("setting").GetString());
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        Assert.Contains("Limits:OpenUnpaidOrdersPerUser", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(replay.StatusCode == HttpStatusCode.Created, await replay.Content.ReadAsStringAsync());
        Assert.Equal(keyed.GetProperty("orderId").GetString(), (await Json.ReadAsync(replay)).GetProperty("orderId").GetString());
        Assert.True(otherUsers.TryGetProperty("orderId", out _));
        Assert.Equal(3L, await CountAsync(user.Id));
    }

    [Fact]
    public async Task CreateOrder_OnlyCreatedAndAwaitingPaymentCount_AnExpiredOrderFreesASlot_APartlyPaidOneDoesNot()
    {
        var user = Service.NewUser();
        var client = Service.CreateClient(user);
        var orders = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add((await OrderSteps.CreateAsync(client)).GetProperty("orderId").GetString()!);
        }

        // What the workflow writes when the payment deadline passes, and when a first partial payment arrives.
        await SetStateAsync(orders[0], "expired", "expired");
        var afterExpiry = await OrderSteps.CreateAsync(client);
        await SetStateAsync(afterExpiry.GetProperty("orderId").GetString()!, "awaiting_payment", "partially_paid");
        using var refused = await OrderSteps.PostAsync(client);

        Assert.True(afterExpiry.TryGetProperty("orderId", out _));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(4L, await CountAsync(user.Id));
    }

    [Fact]
    public async Task CreateOrder_ConcurrentRequestsOneBelowTheCap_ExactlyOneCreated()
    {
        const int requests = 8;
        var user = Service.NewUser();
        var client = Service.CreateClient(user);
        await OrderSteps.CreateAsync(client);
        await OrderSteps.CreateAsync(client);
        // Inserts into orders wait behind this lock (reads do not): every request gets as far as it can before inserting,
        // so requests that each counted 2 open orders first would all insert once it is released.
        await using var blocker = await Service.DataSource.OpenConnectionAsync();
        var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE orders IN SHARE MODE", transaction: hold);

        var pending = Enumerable.Range(0, requests).Select(_ => OrderSteps.PostAsync(client)).ToArray();
        await Eventually.WaitAsync(
            () => OrderSteps.ScalarAsync<long>(Database, WaitingOnLocksSql),
            waiting => waiting == requests,
            TimeSpan.FromSeconds(30),
            "every creation waiting on a lock");
        await hold.CommitAsync();
        var responses = await Task.WhenAll(pending);

        var statuses = responses.Select(r => r.StatusCode).ToArray();
        foreach (var response in responses)
        {
            response.Dispose();
        }
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(requests - 1, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(3L, await CountAsync(user.Id));
    }

    private const string WaitingOnLocksSql = """
        SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
        """;

    private Task<long> CountAsync(Guid userId) =>
        OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM orders WHERE user_id = @userId", new { userId });

    private Task<string> SetStateAsync(string orderId, string orderStatus, string stage) =>
        OrderSteps.ScalarAsync<string>(Database,
            "UPDATE orders SET order_status = @orderStatus, stage = @stage WHERE order_id = @orderId RETURNING order_id",
            new { orderId, orderStatus, stage });
}
