using Dapper;
using FlashFundX.Data.Credentials;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FlashFundX.Data.Inventory;

/// <summary>
/// Adds trading accounts to the inventory with their passwords encrypted. An account already known by
/// platform + server + login is skipped (the unique key decides, also within one batch), so a re-sent import changes nothing.
/// </summary>
public sealed partial class InventoryImporter(NpgsqlDataSource dataSource, CredentialProtector protector, ILogger<InventoryImporter> logger)
{
    private const string InsertSql = """
        INSERT INTO account_container (platform, account_size, server, login, password_ciphertext, investor_password_ciphertext, key_id)
        VALUES (@Platform, @AccountSize, @Server, @Login, @PasswordCiphertext, @InvestorPasswordCiphertext, @KeyId)
        ON CONFLICT (platform, server, login) DO NOTHING
        """;

    public async Task<InventoryImportResult> ImportAsync(IReadOnlyList<InventoryAccount> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        Validate(accounts);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await InsertAsync(tx, accounts, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogImported(logger, result.Imported, result.Skipped, result.Restocked.Count);
        return result;
    }

    /// <summary>
    /// The same import inside the caller's <paramref name="transaction"/>, which the caller commits (the API runs it as its
    /// system role, whose grants allow inserting accounts but not reading their ciphertexts).
    /// </summary>
    public async Task<InventoryImportResult> ImportAsync(
        NpgsqlTransaction transaction, IReadOnlyList<InventoryAccount> accounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(accounts);
        Validate(accounts);
        var result = await InsertAsync(transaction, accounts, cancellationToken).ConfigureAwait(false);
        LogImported(logger, result.Imported, result.Skipped, result.Restocked.Count);
        return result;
    }

    private async Task<InventoryImportResult> InsertAsync(
        NpgsqlTransaction tx, IReadOnlyList<InventoryAccount> accounts, CancellationToken cancellationToken)
    {
        var connection = tx.Connection ?? throw new InvalidOperationException("The transaction has completed.");
        var imported = 0;
        var restocked = new HashSet<StockKey>();
        foreach (var account in accounts)
        {
            var platform = WireName.Of(account.Platform);
            var server = account.Server.Trim();
            var login = account.Login.Trim();
            var password = protector.Protect(account.Password, CredentialProtector.AssociatedData(platform, server, login, CredentialProtector.PasswordField));
            var investor = protector.Protect(
                account.InvestorPassword, CredentialProtector.AssociatedData(platform, server, login, CredentialProtector.InvestorPasswordField));
            var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Platform = platform,
                account.AccountSize,
                Server = server,
                Login = login,
                PasswordCiphertext = password.Ciphertext,
                InvestorPasswordCiphertext = investor.Ciphertext,
                password.KeyId,
            }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (inserted == 1)
            {
                imported++;
                restocked.Add(new StockKey(account.AccountSize, account.Platform));
            }
        }
        return new InventoryImportResult(
            imported, accounts.Count - imported,
            restocked.OrderBy(k => k.AccountSize).ThenBy(k => k.Platform).ToArray());
    }

    private static void Validate(IReadOnlyList<InventoryAccount> accounts)
    {
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i] ?? throw new ArgumentException($"accounts[{i}] is null.", nameof(accounts));
            var missing =
                string.IsNullOrWhiteSpace(account.Login) ? "login"
                : string.IsNullOrWhiteSpace(account.Server) ? "server"
                : string.IsNullOrEmpty(account.Password) ? "password"
                : string.IsNullOrEmpty(account.InvestorPassword) ? "investorPassword"
                : account.AccountSize <= 0 ? "accountSize"
                : !Enum.IsDefined(account.Platform) ? "platform"
                : null;
            if (missing is not null)
            {
                throw new ArgumentException($"accounts[{i}].{missing} is missing or invalid.", nameof(accounts));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Inventory import: {Imported} accounts added, {Skipped} duplicates skipped, {RestockedCount} size/platform pairs restocked")]
    private static partial void LogImported(ILogger logger, int imported, int skipped, int restockedCount);
}
