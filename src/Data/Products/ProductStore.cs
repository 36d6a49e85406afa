using System.Text.Json;
using Dapper;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.Data.Products;

/// <summary>
/// The price list as data (trading_rules). A change of price or rules retires the current version and inserts a new
/// one, so an order keeps the version it was sold with; switching a product on or off changes only its current
/// version. Writes on one product are serialised by an advisory lock, and an admin's change is audited in the same
/// transaction. The static methods work in the caller's transaction (the API's system-role session); the instance
/// methods open their own on the given data source (the development run and the tests load the demo price list
/// through them: the same statements as the admin endpoint).
/// </summary>
public sealed class ProductStore(NpgsqlDataSource dataSource)
{
    public const string PutAction = "product.put";
    public const string DeactivateAction = "product.deactivate";

    private const string Columns = """
        id AS version, account_type, account_size, price, price_currency, profit_target_phase_1, profit_target_phase_2,
        max_daily_drawdown, max_total_drawdown, min_trading_days, profit_split, leverage, is_active, updated_at
        """;

    private static readonly string ListSql = $"""
        SELECT {Columns} FROM trading_rules WHERE replaced_at IS NULL ORDER BY account_type, account_size
        """;

    private static readonly string CurrentSql = $"""
        SELECT {Columns} FROM trading_rules
         WHERE account_type = @AccountType AND account_size = @AccountSize AND replaced_at IS NULL
        """;

    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtext('trading_rules:' || @AccountType || ':' || @AccountSize))";

    private static readonly string InsertSql = $"""
        INSERT INTO trading_rules (account_type, account_size, price, price_currency, profit_target_phase_1,
                                   profit_target_phase_2, max_daily_drawdown, max_total_drawdown, min_trading_days,
                                   profit_split, leverage, is_active)
        VALUES (@AccountType, @AccountSize, @Price, @PriceCurrency, @ProfitTargetPhase1,
                @ProfitTargetPhase2, @MaxDailyDrawdown, @MaxTotalDrawdown, @MinTradingDays,
                @ProfitSplit, @Leverage, @Active)
        RETURNING {Columns}
        """;

    private const string RetireSql = "UPDATE trading_rules SET replaced_at = now(), is_active = false WHERE id = @Version";

    private static readonly string SetActiveSql = $"""
        UPDATE trading_rules SET is_active = @Active WHERE id = @Version RETURNING {Columns}
        """;

    private const string AuditSql = """
        INSERT INTO admin_audit_log (admin_user_id, action, target, details)
        VALUES (@AdminUserId, @Action, @Target, CAST(@Details AS jsonb))
        """;

    public async Task<IReadOnlyList<Product>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        return await ListAsync(transaction, cancellationToken);
    }

    /// <inheritdoc cref="PutAsync(NpgsqlTransaction, AccountType, int, ProductTerms, Guid?, CancellationToken)"/>
    public async Task<ProductChange> PutAsync(
        AccountType accountType, int accountSize, ProductTerms terms, Guid? admin, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var change = await PutAsync(transaction, accountType, accountSize, terms, admin, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return change;
    }

    /// <summary>Every product's current version, on sale or not, by account type then size.</summary>
    public static async Task<IReadOnlyList<Product>> ListAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var rows = await transaction.Connection!.QueryAsync<ProductRow>(new CommandDefinition(ListSql, transaction: transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToProduct())];
    }

    /// <summary>
    /// Creates the product or gives it these terms, in <paramref name="transaction"/> (the caller commits);
    /// <paramref name="admin"/> (when given) is audited with before and after in the same transaction.
    /// </summary>
    public static async Task<ProductChange> PutAsync(
        NpgsqlTransaction transaction, AccountType accountType, int accountSize, ProductTerms terms, Guid? admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(terms);
        var connection = transaction.Connection!;
        var key = Key(accountType, accountSize);
        var before = await LockCurrentAsync(connection, transaction, key, cancellationToken);

        Product after;
        if (before is not null && before.Terms == terms)
        {
            return new ProductChange(ProductChangeKind.Unchanged, before, before);
        }
        if (before is not null && before.Terms.SameSaleTerms(terms))
        {
            after = await SetActiveAsync(connection, transaction, before.Version, terms.Active, cancellationToken);
        }
        else
        {
            if (before is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(RetireSql, new { before.Version }, transaction, cancellationToken: cancellationToken));
            }
            var row = await connection.QuerySingleAsync<ProductRow>(new CommandDefinition(InsertSql, new
            {
                key.AccountType, key.AccountSize, terms.Price, terms.PriceCurrency, terms.ProfitTargetPhase1, terms.ProfitTargetPhase2,
                terms.MaxDailyDrawdown, terms.MaxTotalDrawdown, terms.MinTradingDays, terms.ProfitSplit, terms.Leverage, terms.Active,
            }, transaction, cancellationToken: cancellationToken));
            after = row.ToProduct();
        }
        var change = new ProductChange(before is null ? ProductChangeKind.Created : ProductChangeKind.Changed, before, after);
        await AuditAsync(connection, transaction, admin, PutAction, key, change, cancellationToken);
        return change;
    }

    /// <summary>Takes the product off sale (its orders keep it), in <paramref name="transaction"/>; null when there is no such product.</summary>
    public static async Task<ProductChange?> DeactivateAsync(
        NpgsqlTransaction transaction, AccountType accountType, int accountSize, Guid? admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection!;
        var key = Key(accountType, accountSize);
        var before = await LockCurrentAsync(connection, transaction, key, cancellationToken);
        if (before is null)
        {
            return null;
        }
        if (!before.Terms.Active)
        {
            return new ProductChange(ProductChangeKind.Unchanged, before, before);
        }
        var after = await SetActiveAsync(connection, transaction, before.Version, active: false, cancellationToken);
        var change = new ProductChange(ProductChangeKind.Changed, before, after);
        await AuditAsync(connection, transaction, admin, DeactivateAction, key, change, cancellationToken);
        return change;
    }

    private static async Task<Product?> LockCurrentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ProductKey key, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(LockSql, key, transaction, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(new CommandDefinition(CurrentSql, key, transaction, cancellationToken: cancellationToken));
        return row?.ToProduct();
    }

    private static async Task<Product> SetActiveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long version, bool active, CancellationToken cancellationToken) =>
        (await connection.QuerySingleAsync<ProductRow>(new CommandDefinition(
            SetActiveSql, new { Version = version, Active = active }, transaction, cancellationToken: cancellationToken))).ToProduct();

    private static async Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid? admin, string action, ProductKey key, ProductChange change,
        CancellationToken cancellationToken)
    {
        if (admin is not Guid adminUserId)
        {
            return;
        }
        var details = JsonSerializer.Serialize(new { change.Before, change.After }, JsonSerializerOptions.Web);
        await connection.ExecuteAsync(new CommandDefinition(AuditSql, new
        {
            AdminUserId = adminUserId,
            Action = action,
            Target = $"{key.AccountType}/{key.AccountSize}",
            Details = details,
        }, transaction, cancellationToken: cancellationToken));
    }

    private static ProductKey Key(AccountType accountType, int accountSize) => new(WireName.Of(accountType), accountSize);

    private sealed record ProductKey(string AccountType, int AccountSize);

    private sealed class ProductRow
    {
        public long Version { get; init; }
        public string AccountType { get; init; } = "";
        public int AccountSize { get; init; }
        public decimal Price { get; init; }
        public string PriceCurrency { get; init; } = "";
        public decimal? ProfitTargetPhase1 { get; init; }
        public decimal? ProfitTargetPhase2 { get; init; }
        public decimal MaxDailyDrawdown { get; init; }
        public decimal MaxTotalDrawdown { get; init; }
        public int MinTradingDays { get; init; }
        public decimal ProfitSplit { get; init; }
        public string Leverage { get; init; } = "";
        public bool IsActive { get; init; }
        public DateTime UpdatedAt { get; init; }

        public Product ToProduct() => new(
            Version, WireName.Parse<AccountType>(AccountType), AccountSize,
            new ProductTerms(Price, PriceCurrency, ProfitTargetPhase1, ProfitTargetPhase2, MaxDailyDrawdown, MaxTotalDrawdown,
                MinTradingDays, ProfitSplit, Leverage, IsActive),
            DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }
}
