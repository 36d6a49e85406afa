using Dapper;
using FlashFundX.Activities.Delivery;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.Api.Orders;

/// <summary>Decrypts the delivered account of an order for its owner, with the trading rules it was sold under.</summary>
public sealed partial class AccountCredentials(
    NpgsqlDataSource dataSource, AccountCredentialsReader reader, ILogger<AccountCredentials> logger)
{
    private const string RulesSql = """
        SELECT account_type, account_size, profit_target_phase_1, profit_target_phase_2, max_daily_drawdown,
               max_total_drawdown, min_trading_days, profit_split, leverage
        FROM trading_rules WHERE id = @Id
        """;

    /// <summary>Null when the order has no delivered account owned by <paramref name="ownerUserId"/>.</summary>
    public async Task<AccountCredentialsDto?> ReadAsync(string orderId, Guid ownerUserId, CancellationToken cancellationToken)
    {
        var account = await reader.ReadForOwnerAsync(orderId, ownerUserId, cancellationToken);
        if (account is null)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rules = await connection.QuerySingleAsync<RulesRow>(
            new CommandDefinition(RulesSql, new { Id = account.TradingRulesId }, cancellationToken: cancellationToken));
        LogRevealed(logger, orderId, OrderIds.WorkflowId(orderId), ownerUserId);
        return new AccountCredentialsDto(
            account.Login, account.Password, account.InvestorPassword, account.Server, account.Platform, account.AccountSize,
            account.Phase,
            new TradingRulesDto(
                WireName.Parse<AccountType>(rules.AccountType), rules.AccountSize, rules.ProfitTargetPhase1, rules.ProfitTargetPhase2,
                rules.MaxDailyDrawdown, rules.MaxTotalDrawdown, rules.MinTradingDays, rules.ProfitSplit, rules.Leverage));
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
