using Dapper;
using FlashFundX.Data.Credentials;
using FlashFundX.Workflows.Domain;
using Npgsql;

namespace FlashFundX.Data.Delivery;

/// <summary>Reads and decrypts the credentials of an order's delivered account, for the user who owns the order.</summary>
public sealed class AccountCredentialsReader(NpgsqlDataSource dataSource, CredentialProtector protector)
{
    private const string Sql = """
        SELECT d.order_id, d.account_type, d.current_phase, d.trading_rules_id, d.delivered_at,
               a.platform, a.account_size, a.server, a.login,
               COALESCE(a.sealed_server, a.server) AS sealed_server, COALESCE(a.sealed_login, a.login) AS sealed_login,
               a.password_ciphertext, a.investor_password_ciphertext, a.key_id
          FROM delivered_accounts d
          JOIN account_container a ON a.id = d.container_account_id
         WHERE d.order_id = @OrderId AND d.user_id = @UserId
        """;

    /// <summary>The credentials, or null when the order has no delivered account or <paramref name="ownerUserId"/> does not own it.</summary>
    public async Task<DeliveredAccountCredentials?> ReadForOwnerAsync(string orderId, Guid ownerUserId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        Row? row;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            row = await connection.QuerySingleOrDefaultAsync<Row>(
                new CommandDefinition(Sql, new { OrderId = orderId, UserId = ownerUserId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        if (row is null)
        {
            return null;
        }

        var (password, investorPassword) = protector.UnprotectAccount(
            row.Platform, row.SealedServer, row.SealedLogin, row.KeyId, row.PasswordCiphertext, row.InvestorPasswordCiphertext);
        return new DeliveredAccountCredentials(
            row.OrderId, row.Login, password, investorPassword, row.Server,
            WireName.Parse<TradingPlatform>(row.Platform), row.AccountSize,
            WireName.Parse<AccountType>(row.AccountType), WireName.Parse<AccountPhase>(row.CurrentPhase),
            row.TradingRulesId, DateTime.SpecifyKind(row.DeliveredAt, DateTimeKind.Utc));
    }

    private sealed class Row
    {
        public string OrderId { get; init; } = "";
        public string AccountType { get; init; } = "";
        public string CurrentPhase { get; init; } = "";
        public long TradingRulesId { get; init; }
        public DateTime DeliveredAt { get; init; }
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
}
