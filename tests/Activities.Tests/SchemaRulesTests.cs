using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using Npgsql;

namespace FlashFundX.Activities.Tests;

/// <summary>
/// The schema's value rules (domains and CHECK constraints of sql/0001_baseline.sql): every status and amount column
/// refuses a value outside its list, whichever statement writes it, and nothing is written then.
/// </summary>
[Collection(PostgresTests.Collection)]
public sealed class SchemaRulesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    [Theory]
    [InlineData("orders", "order_status", "'shipped'")]
    [InlineData("orders", "payment_status", "'paid'")]
    [InlineData("orders", "delivery_status", "'lost'")]
    [InlineData("orders", "stage", "'done'")]
    [InlineData("orders", "stage", "'reserving'")]
    [InlineData("orders", "account_type", "'three_step'")]
    [InlineData("orders", "platform", "'mt6'")]
    [InlineData("orders", "account_size", "0")]
    [InlineData("orders", "price_amount", "-1")]
    [InlineData("orders", "order_id", "'ABC123'")]
    [InlineData("account_container", "status", "'sold'")]
    [InlineData("account_container", "status", "'reserved'")]
    [InlineData("account_container", "platform", "'MT5'")]
    [InlineData("account_container", "account_size", "-5000")]
    [InlineData("users", "role", "'root'")]
    [InlineData("users", "total_orders", "-1")]
    [InlineData("users", "total_spent", "-0.01")]
    public async Task Update_ValueOutsideItsRule_RefusedAndNothingWritten(string table, string column, string value)
    {
        await SeedAsync();
        var before = await Scenario.ScalarAsync<string>($"SELECT string_agg({column}::text, ',') FROM {table}");

        var error = await Assert.ThrowsAsync<PostgresException>(() => Scenario.ExecuteAsync($"UPDATE {table} SET {column} = {value}"));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(before, await Scenario.ScalarAsync<string>($"SELECT string_agg({column}::text, ',') FROM {table}"));
    }

    [Theory]
    [InlineData("account_type", "'three_step'")]
    [InlineData("platform", "'mt6'")]
    [InlineData("current_phase", "'phase_3'")]
    [InlineData("challenge_status", "'won'")]
    [InlineData("phase_1_status", "'won'")]
    [InlineData("phase_2_status", "'won'")]
    [InlineData("live_status", "'won'")]
    public async Task DeliveredAccount_ValueOutsideItsRule_Refused(string column, string value)
    {
        var (orderId, accountId) = await SeedAsync();
        var columns = new Dictionary<string, string>
        {
            ["account_type"] = "'two_step'", ["platform"] = "'mt5'", ["current_phase"] = "'phase_1'",
            ["challenge_status"] = "'pending'", ["phase_1_status"] = "'active'", ["phase_2_status"] = "'pending'", ["live_status"] = "'pending'",
        };
        columns[column] = value;

        var error = await Assert.ThrowsAsync<PostgresException>(() => Scenario.ExecuteAsync($"""
            INSERT INTO delivered_accounts (order_id, user_id, container_account_id, trading_rules_id, account_size, server, login,
                                            {string.Join(", ", columns.Keys)})
            SELECT o.order_id, o.user_id, @accountId, (SELECT min(id) FROM trading_rules), 10000, 'Server', 'login',
                   {string.Join(", ", columns.Values)}
              FROM orders o WHERE o.order_id = @orderId
            """, new { orderId, accountId }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(0L, await Scenario.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts"));
    }

    [Fact]
    public async Task EveryListedValue_Accepted()
    {
        var (orderId, _) = await SeedAsync();

        foreach (var status in new[] { "created", "awaiting_payment", "paid", "fulfilling", "completed", "cancelled", "expired", "failed" })
        {
            await Scenario.ExecuteAsync("UPDATE orders SET order_status = @status WHERE order_id = @orderId", new { status, orderId });
        }
        foreach (var status in new[] { "pending", "waiting", "confirming", "confirmed", "sending", "partially_paid", "finished", "failed", "expired", "refunded", "amount_mismatch" })
        {
            await Scenario.ExecuteAsync("UPDATE orders SET payment_status = @status WHERE order_id = @orderId", new { status, orderId });
        }
        foreach (var stage in new[] { "created", "creating_invoice", "awaiting_payment", "partially_paid", "paid", "waiting_inventory", "delivering", "completed", "expired", "cancelled", "refund_required", "failed" })
        {
            await Scenario.ExecuteAsync("UPDATE orders SET stage = @stage WHERE order_id = @orderId", new { stage, orderId });
        }

        Assert.Equal("failed", await Scenario.ScalarAsync<string>("SELECT stage FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    private async Task<(string OrderId, long AccountId)> SeedAsync()
    {
        var orderId = await Scenario.CreatePaidOrderAsync();
        var accounts = await Scenario.AddAccountsAsync(1);
        return (orderId, accounts[0]);
    }
}
