using Dapper;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Activities.Tests.Support;

/// <summary>Arranges users, orders and inventory rows directly in a test database.</summary>
internal sealed class OrderScenario(TestDatabase database)
{
    private const string InsertUserSql = """
        INSERT INTO users (id, email) VALUES (@Id, @Email)
        """;

    private const string CreateOrderSql = """
        SELECT c.order_id
          FROM trading_rules r,
               LATERAL create_order(@UserId, @IdempotencyKey, r.id, @Platform, 'usdt_trc20') c
         WHERE r.account_type = @AccountType AND r.account_size = @AccountSize AND r.is_active
        """;

    private const string MarkPaidSql = """
        UPDATE orders SET order_status = 'paid', payment_status = 'finished', stage = 'paid', paid_at = now()
         WHERE order_id = @OrderId
        """;

    private const string AddAccountsSql = """
        INSERT INTO account_container (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext, key_id)
        SELECT @Platform, @AccountSize, 'Test-Server', @Prefix || '-' || g, '\x00'::bytea, '\x00'::bytea, 'test'
          FROM generate_series(1, @Count) g
        RETURNING id
        """;

    public async Task<Guid> CreateUserAsync()
    {
        var id = Guid.NewGuid();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(InsertUserSql, new { Id = id, Email = $"{id:N}@example.test" });
        return id;
    }

    public async Task<string> CreateOrderAsync(
        Guid userId,
        AccountType accountType = AccountType.TwoStep,
        int accountSize = 10_000,
        TradingPlatform platform = TradingPlatform.Mt5,
        bool paid = true,
        string? idempotencyKey = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var orderId = await connection.QuerySingleAsync<string>(CreateOrderSql, new
        {
            UserId = userId,
            IdempotencyKey = idempotencyKey,
            AccountType = WireName.Of(accountType),
            AccountSize = accountSize,
            Platform = WireName.Of(platform),
        });
        if (paid)
        {
            await connection.ExecuteAsync(MarkPaidSql, new { OrderId = orderId });
        }
        return orderId;
    }

    public async Task<string> CreatePaidOrderAsync(
        AccountType accountType = AccountType.TwoStep, int accountSize = 10_000, TradingPlatform platform = TradingPlatform.Mt5) =>
        await CreateOrderAsync(await CreateUserAsync(), accountType, accountSize, platform);

    /// <summary>Inventory rows with placeholder ciphertexts (reservation never reads credentials), oldest first by id.</summary>
    public async Task<long[]> AddAccountsAsync(int count, int accountSize = 10_000, TradingPlatform platform = TradingPlatform.Mt5)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var ids = await connection.QueryAsync<long>(AddAccountsSql, new
        {
            Platform = WireName.Of(platform),
            AccountSize = accountSize,
            Prefix = Guid.NewGuid().ToString("N")[..8],
            Count = count,
        });
        return ids.ToArray();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<T>(sql, args)];
    }

    public async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }
}
