using System.Text.RegularExpressions;
using Dapper;
using FlashFundX.Data.Credentials;
using FlashFundX.Data.Database;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Service;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Ops.Tests.Backups;

/// <summary>scripts/backup and scripts/restore against real PostgreSQL databases, run as an operator runs them.</summary>
public sealed partial class BackupRestoreTests : IAsyncLifetime
{
    private readonly PostgresFixture postgres = new();
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ffx-backups-");

    public Task InitializeAsync() => postgres.InitializeAsync();

    public Task DisposeAsync()
    {
        folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task BackupThenRestore_DatabaseOfAShopThatSold_EveryTableMatchesAndCredentialsDecrypt()
    {
        await using var source = await postgres.CreateDatabaseAsync("backup_source");
        InventoryImport import;
        string deliveredOrderId;
        IReadOnlyDictionary<string, string?> settings;
        await using (var service = await FulfillmentService.StartAsync(new() { Database = source }))
        {
            import = await service.ImportInventoryAsync(3, accountSize: 10000, platform: "mt5");
            var delivered = await service.CreateOrderAsync(service.CreateClient(service.NewUser()));
            await service.PayOrderAsync(delivered.OrderId);
            await service.WaitForOrderAsync(delivered.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
            // The run ends after its e-mail is recorded, which comes after the order reads completed.
            await service.WaitForWorkflowResultAsync(delivered.OrderId);
            var unpaid = await service.CreateOrderAsync(service.CreateClient(service.NewUser()), accountType: "one_step");
            await service.WaitForInvoiceAsync(unpaid.OrderId);
            deliveredOrderId = delivered.OrderId;
            settings = service.Settings;
        }
        // The service is stopped: nothing writes to the source any more.
        var before = await TableDigests.OfAsync(source.ConnectionString);

        var backup = await BackupScripts.BackupAsync(source.ConnectionString, "--dir", folder.FullName);
        await using var target = await postgres.CreateDatabaseAsync("backup_target", migrate: false);
        await using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            // As a DBA may prepare it where the owner may not create extensions: still an empty database.
            await connection.ExecuteAsync("CREATE EXTENSION pgcrypto");
        }
        var restore = await BackupScripts.RestoreAsync(target.ConnectionString, backup.LastLine);

        Assert.True(backup.ExitCode == 0, backup.Output);
        Assert.Matches(BackupName(), Path.GetFileName(backup.LastLine));
        Assert.Equal([backup.LastLine], folder.GetFiles().Select(f => f.FullName));
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains("Migration check: OK", restore.Output, StringComparison.Ordinal);
        foreach (var table in new[] { "orders", "payment_transactions", "webhook_events", "order_events", "account_container",
                     "delivered_accounts", "admin_audit_log", "email_outbox", "users", "trading_rules", "schemaversions" })
        {
            Assert.True(TableDigests.Rows(before, table) > 0, $"the source has no {table} rows: the test proves nothing for them");
        }
        Assert.Equal(before, await TableDigests.OfAsync(target.ConnectionString));
        var account = await DeliveredAccountAsync(target.ConnectionString, deliveredOrderId);
        var protector = new CredentialProtector(Options.Create(new CredentialsOptions
        {
            EncryptionKey = settings["Credentials:EncryptionKey"]!, KeyId = settings["Credentials:KeyId"]!,
        }));
        var (password, investorPassword) = protector.UnprotectAccount(
            account.Platform, account.Server, account.Login, account.KeyId, account.PasswordCiphertext, account.InvestorPasswordCiphertext);
        var imported = Assert.Single(import.Accounts, a => a.Login == account.Login);
        Assert.Equal(imported.Password, password);
        Assert.Equal(imported.InvestorPassword, investorPassword);
    }

    [Fact]
    public async Task Restore_IntoADatabaseThatHoldsTables_RefusesAndLeavesItAlone()
    {
        await using var source = await postgres.CreateDatabaseAsync("backup_small");
        var backup = await BackupScripts.BackupAsync(source.ConnectionString, "--dir", folder.FullName);
        Assert.True(backup.ExitCode == 0, backup.Output);
        await using var live = await postgres.CreateDatabaseAsync("backup_live");
        await using (var connection = new NpgsqlConnection(live.ConnectionString))
        {
            await connection.ExecuteAsync("CREATE TABLE operator_notes (note text); INSERT INTO operator_notes VALUES ('keep me')");
        }
        var before = await TableDigests.OfAsync(live.ConnectionString);

        var restore = await BackupScripts.RestoreAsync(live.ConnectionString, backup.LastLine);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("refusing to restore", restore.Output, StringComparison.Ordinal);
        Assert.Contains("it is not empty", restore.Output, StringComparison.Ordinal);
        Assert.Equal(before, await TableDigests.OfAsync(live.ConnectionString));
    }

    [Fact]
    public async Task Restore_BackupWhoseMigrationsDifferFromTheBuild_RestoresAndReportsTheMismatch()
    {
        await using var source = await postgres.CreateDatabaseAsync("backup_other_release");
        var last = DatabaseMigrator.ScriptNames()[^1];
        await using (var connection = new NpgsqlConnection(source.ConnectionString))
        {
            // As if an older release had made it (its last script missing) and a newer one added a script this build lacks.
            await connection.ExecuteAsync(
                "DELETE FROM schemaversions WHERE scriptname = @Last; INSERT INTO schemaversions (scriptname, applied) VALUES (@Future, now())",
                new { Last = "FlashFundX.Sql." + last, Future = "FlashFundX.Sql.9999_from_the_future.sql" });
        }
        var backup = await BackupScripts.BackupAsync(source.ConnectionString, "--dir", folder.FullName);
        Assert.True(backup.ExitCode == 0, backup.Output);
        await using var target = await postgres.CreateDatabaseAsync("backup_other_target", migrate: false);

        var restore = await BackupScripts.RestoreAsync(target.ConnectionString, backup.LastLine);

        Assert.True(restore.ExitCode == 3, restore.Output);
        Assert.Contains("Migration check: MISMATCH", restore.Output, StringComparison.Ordinal);
        Assert.Contains($"not applied: {last}", restore.Output, StringComparison.Ordinal);
        Assert.Contains("applied but unknown to this build: 9999_from_the_future.sql", restore.Output, StringComparison.Ordinal);
        Assert.Equal(await TableDigests.OfAsync(source.ConnectionString), await TableDigests.OfAsync(target.ConnectionString));
    }

    [Fact]
    public async Task Backup_WithRetention_DeletesOnlyItsOwnBackupsOlderThanTheRetention()
    {
        await using var source = await postgres.CreateDatabaseAsync("backup_retention");
        var now = DateTime.UtcNow;
        var files = new Dictionary<string, DateTime>
        {
            ["flashfundx-20261101T020000Z.dump"] = now.AddDays(-20),   // its own, too old: deleted
            ["flashfundx-20261110T020000Z.dump"] = now.AddDays(-14.5), // its own, just too old: deleted
            ["flashfundx-20261124T020000Z.dump"] = now.AddDays(-13.5), // its own, within 14 days: kept
            ["flashfundx-manual.dump"] = now.AddDays(-30),             // another name: kept however old
            ["flashfundx-20261101T020000Z.dump.bak"] = now.AddDays(-30),
            ["other-20261101T020000Z.dump"] = now.AddDays(-30),
            [".flashfundx-20261101T020000Z.dump.partial"] = now.AddDays(-30),
        };
        foreach (var (name, modified) in files)
        {
            var path = Path.Combine(folder.FullName, name);
            await File.WriteAllTextAsync(path, "not a dump");
            File.SetLastWriteTimeUtc(path, modified);
        }
        var nested = Directory.CreateDirectory(Path.Combine(folder.FullName, "archive"));
        var nestedOld = Path.Combine(nested.FullName, "flashfundx-20261001T020000Z.dump");
        await File.WriteAllTextAsync(nestedOld, "not a dump");
        File.SetLastWriteTimeUtc(nestedOld, now.AddDays(-60));

        var backup = await BackupScripts.BackupAsync(source.ConnectionString, "--dir", folder.FullName, "--retention-days", "14");

        Assert.True(backup.ExitCode == 0, backup.Output);
        var expected = files.Keys.Except(["flashfundx-20261101T020000Z.dump", "flashfundx-20261110T020000Z.dump"])
            .Append(Path.GetFileName(backup.LastLine)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, folder.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(nestedOld), "a backup in a sub-folder is not the script's to delete");
        Assert.Contains("Deleted", backup.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_DatabaseThatDoesNotExist_FailsWithoutAFileOrThePassword()
    {
        const string password = "do-not-print-this-3f9c";
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ServerConnectionString)
        {
            Database = "ffx_no_such_database", Password = password,
        }.ConnectionString;

        var backup = await BackupScripts.BackupAsync(connectionString, "--dir", folder.FullName);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("pg_dump of database 'ffx_no_such_database'", backup.Output, StringComparison.Ordinal);
        Assert.Contains("no backup written", backup.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, backup.Output, StringComparison.Ordinal);
        Assert.Empty(folder.GetFileSystemInfos());
    }

    private static async Task<StoredAccount> DeliveredAccountAsync(string connectionString, string orderId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleAsync<StoredAccount>("""
            SELECT a.platform AS "Platform", COALESCE(a.sealed_server, a.server) AS "Server", COALESCE(a.sealed_login, a.login) AS "Login",
                   a.key_id AS "KeyId",
                   a.password_ciphertext AS "PasswordCiphertext", a.investor_password_ciphertext AS "InvestorPasswordCiphertext"
            FROM delivered_accounts d JOIN account_container a ON a.id = d.container_account_id
            WHERE d.order_id = @orderId
            """, new { orderId });
    }

    [GeneratedRegex(@"^flashfundx-\d{8}T\d{6}Z\.dump$")]
    private static partial Regex BackupName();

    /// <summary>Server and login are those the passwords were sealed under (sql/0008_admin_inventory.sql).</summary>
    private sealed record StoredAccount(
        string Platform, string Server, string Login, string KeyId, byte[] PasswordCiphertext, byte[] InvestorPasswordCiphertext);
}
