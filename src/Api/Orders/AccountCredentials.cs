using Dapper;
using FlashFundX.Data.Credentials;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Orders;

/// <summary>
/// Decrypts the delivered account of an order for its owner, with the trading rules it was sold under.
/// </summary>
/// <remarks>
/// The read runs in the caller's session without admin rights: row-level security lets it see only delivered_accounts
/// rows of the caller and only the account_container rows delivered to them, so even without the <c>user_id</c>
/// filter no other user's ciphertext could be read. (The activities' <c>AccountCredentialsReader</c> does the same read
/// on the owner connection for the worker side; the API no longer uses it.)
/// </remarks>
public sealed partial class AccountCredentials(
    CallerScopedDatabase database, CredentialProtector protector, ILogger<AccountCredentials> logger)
{
    private const string AccountSql = """
        SELECT d.account_type, d.current_phase, d.trading_rules_id,
               a.platform, a.account_size, a.server, a.login,
               COALESCE(a.sealed_server, a.server) AS sealed_server, COALESCE(a.sealed_login, a.login) AS sealed_login,
               a.password_ciphertext, a.investor_password_ciphertext, a.key_id
          FROM delivered_accounts d
          JOIN account_container a ON a.id = d.container_account_id
         WHERE d.order_id = @OrderId AND d.user_id = @UserId
        """;

    private const string RulesSql = """
        SELECT account_type, account_size, profit_target_phase_1, profit_target_phase_2, max_daily_drawdown,
               max_total_drawdown, min_trading_days, profit_split, leverage
        FROM trading_rules WHERE id = @Id
        """;

    /// <summary>Null when the order has no delivered account owned by <paramref name="owner"/>.</summary>
    public async Task<AccountCredentialsDto?> ReadAsync(string orderId, Caller owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        AccountRow? account;
        RulesRow rules;
        // Owner only: admin rights are never used to read credentials.
        await using (var session = await database.OpenAsync(owner, useAdminRights: false, cancellationToken))
        {
            account = await session.Connection.QuerySingleOrDefaultAsync<AccountRow>(
                session.Command(AccountSql, new { OrderId = orderId, owner.UserId }, cancellationToken));
            if (account is null)
            {
                return null;
            }
            rules = await session.Connection.QuerySingleAsync<RulesRow>(
                session.Command(RulesSql, new { Id = account.TradingRulesId }, cancellationToken));
        }

        var (password, investorPassword) = protector.UnprotectAccount(
            account.Platform, account.SealedServer, account.SealedLogin, account.KeyId, account.PasswordCiphertext, account.InvestorPasswordCiphertext);
        LogRevealed(logger, orderId, OrderIds.WorkflowId(orderId), owner.UserId);
        return new AccountCredentialsDto(
            account.Login, password, investorPassword, account.Server, WireName.Parse<TradingPlatform>(account.Platform),
            account.AccountSize, WireName.Parse<AccountPhase>(account.CurrentPhase),
            new TradingRulesDto(
                WireName.Parse<AccountType>(rules.AccountType), rules.AccountSize, rules.ProfitTargetPhase1, rules.ProfitTargetPhase2,
                rules.MaxDailyDrawdown, rules.MaxTotalDrawdown, rules.MinTradingDays, rules.ProfitSplit, rules.Leverage));
    }

    private sealed class AccountRow
    {
        public string AccountType { get; init; } = "";
        public string CurrentPhase { get; init; } = "";
        public long TradingRulesId { get; init; }
        public string Platform { get; init; } = "";
        public int AccountSize { get; init; }
        public string Server { get; init; } = "";
        public string Login { get; init; } = "";

        /// <summary>The server and login the ciphertexts are bound to (sql/0008_admin_inventory.sql).</summary>
        public string SealedServer { get; init; } = "";
        public string SealedLogin { get; init; } = "";
        public byte[] PasswordCiphertext { get; init; } = [];
        public byte[] InvestorPasswordCiphertext { get; init; } = [];
        public string KeyId { get; init; } = "";
    }

    private sealed class RulesRow
    {
        public string AccountType { get; init; } = "";
        public int AccountSize { get; init; }
        public decimal? ProfitTargetPhase1 { get; init; }
        public decimal? ProfitTargetPhase2 { get; init; }
        public decimal MaxDailyDrawdown { get; init; }
        public decimal MaxTotalDrawdown { get; init; }
        public int MinTradingDays { get; init; }
        public decimal ProfitSplit { get; init; }
        public string Leverage { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credentials of order {OrderId} (workflow {WorkflowId}) shown to its owner {UserId}")]
    private static partial void LogRevealed(ILogger logger, string orderId, string workflowId, Guid userId);
}
