using Dapper;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class OrderIdGenerationTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    [Fact]
    public async Task CreateOrder_ManyOrders_IdsMatchFormatAndAreUnique()
    {
        var user = await Scenario.CreateUserAsync();

        var ids = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            ids.Add(await Scenario.CreateOrderAsync(user, paid: false));
        }

        Assert.All(ids, id => Assert.True(OrderIds.IsValid(id), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task CreateOrder_SameIdempotencyKey_ReturnsSameOrder()
    {
        var user = await Scenario.CreateUserAsync();
        var otherUser = await Scenario.CreateUserAsync();

        var first = await Scenario.CreateOrderAsync(user, paid: false, idempotencyKey: "key-1");
        var repeat = await Scenario.CreateOrderAsync(user, paid: false, idempotencyKey: "key-1");
        var otherKey = await Scenario.CreateOrderAsync(user, paid: false, idempotencyKey: "key-2");
        var otherUsersOrder = await Scenario.CreateOrderAsync(otherUser, paid: false, idempotencyKey: "key-1");

        Assert.Equal(first, repeat);
        Assert.NotEqual(first, otherKey);
        Assert.NotEqual(first, otherUsersOrder);
        Assert.Equal(3, await Scenario.ScalarAsync<long>("SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task CreateOrder_RepeatedKey_ReportsNotCreated()
    {
        var user = await Scenario.CreateUserAsync();
        const string sql = """
            SELECT c.created
              FROM trading_rules r, LATERAL create_order(@User, 'k', r.id, 'mt4', 'btc') c
             WHERE r.account_type = 'hft' AND r.account_size = 5000 AND r.is_active
            """;

        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var first = await connection.QuerySingleAsync<bool>(sql, new { User = user });
        var second = await connection.QuerySingleAsync<bool>(sql, new { User = user });

        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public async Task CreateOrder_GeneratedIdCollides_RetriesWithNewId()
    {
        // Make the generator repeat itself: 1st call FFX000000001, 2nd call the same again, then FFX000000002.
        await Scenario.ExecuteAsync("""
            CREATE SEQUENCE test_ids;
            CREATE OR REPLACE FUNCTION new_order_id() RETURNS text LANGUAGE sql VOLATILE AS $$
                SELECT 'FFX00000000' || CASE WHEN nextval('test_ids') <= 2 THEN '1' ELSE '2' END
            $$;
            """);
        var user = await Scenario.CreateUserAsync();

        var first = await Scenario.CreateOrderAsync(user, paid: false);
        var second = await Scenario.CreateOrderAsync(user, paid: false);

        Assert.Equal("FFX000000001", first);
        Assert.Equal("FFX000000002", second);
        Assert.Equal(3, await Scenario.ScalarAsync<long>("SELECT last_value FROM test_ids"));
    }
}
