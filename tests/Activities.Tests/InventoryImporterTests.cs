using FlashFundX.TestSupport.Metrics;
using Dapper;
using FlashFundX.Data.Credentials;
using FlashFundX.Activities.Delivery;
using FlashFundX.Data.Delivery;
using FlashFundX.Data.Inventory;
using FlashFundX.DevHost.Seed;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class InventoryImporterTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private readonly CredentialsOptions _keys = TestCredentials.Options("k-2026");

    private CredentialProtector Protector => TestCredentials.Protector(_keys);

    private InventoryImporter Importer => new(Database.DataSource, Protector, NullLogger<InventoryImporter>.Instance);

    [Fact]
    public async Task Import_WithDuplicates_SkipsByPlatformServerLogin()
    {
        await Importer.ImportAsync([Account("1001", TradingPlatform.Mt5, 10_000)]);

        var result = await Importer.ImportAsync(
        [
            Account("1001", TradingPlatform.Mt5, 10_000),
            Account("1001", TradingPlatform.Mt4, 10_000),
            Account("1002", TradingPlatform.Mt5, 25_000),
            Account("1002", TradingPlatform.Mt5, 25_000),
        ]);

        Assert.Equal(2, result.Imported);
        Assert.Equal(2, result.Skipped);
        Assert.Equal([new StockKey(10_000, TradingPlatform.Mt4), new StockKey(25_000, TradingPlatform.Mt5)], result.Restocked);
        Assert.Equal(3, await Scenario.ScalarAsync<long>("SELECT count(*) FROM account_container WHERE status = 'available'"));
    }

    [Fact]
    public async Task Import_Passwords_StoredEncryptedWithKeyId()
    {
        await Importer.ImportAsync([Account("2001", TradingPlatform.Mt5, 10_000, "PlainPass-2001")]);

        await using var connection = await Database.DataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(byte[] Password, byte[] Investor, string KeyId)>(
            "SELECT password_ciphertext, investor_password_ciphertext, key_id FROM account_container");
        var plain = System.Text.Encoding.UTF8.GetBytes("PlainPass-2001");
        Assert.Equal(-1, row.Password.AsSpan().IndexOf(plain));
        Assert.Equal(-1, row.Investor.AsSpan().IndexOf(plain));
        Assert.Equal("k-2026", row.KeyId);
    }

    [Fact]
    public async Task ReadForOwner_DeliveredOrder_DecryptsForOwnerOnly()
    {
        await Importer.ImportAsync([Account("3001", TradingPlatform.Mt5, 10_000, "Owner-Pass")]);
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.TwoStep, 10_000, TradingPlatform.Mt5);
        await DeliverAsync(orderId);
        var owner = await Scenario.ScalarAsync<Guid>("SELECT user_id FROM orders WHERE order_id = @orderId", new { orderId });
        var reader = new AccountCredentialsReader(Database.DataSource, Protector);

        var credentials = await reader.ReadForOwnerAsync(orderId, owner);
        var forStranger = await reader.ReadForOwnerAsync(orderId, Guid.NewGuid());

        Assert.NotNull(credentials);
        Assert.Equal(("3001", "Owner-Pass", "Owner-Pass-investor", "Test-Broker"), (credentials.Login, credentials.Password, credentials.InvestorPassword, credentials.Server));
        Assert.Equal(AccountPhase.Phase1, credentials.Phase);
        Assert.DoesNotContain("Owner-Pass", credentials.ToString(), StringComparison.Ordinal);
        Assert.Null(forStranger);
    }

    [Fact]
    public async Task ReadForOwner_NotDelivered_ReturnsNull()
    {
        var orderId = await Scenario.CreatePaidOrderAsync();
        var owner = await Scenario.ScalarAsync<Guid>("SELECT user_id FROM orders WHERE order_id = @orderId", new { orderId });

        Assert.Null(await new AccountCredentialsReader(Database.DataSource, Protector).ReadForOwnerAsync(orderId, owner));
    }

    [Fact]
    public async Task ReadForOwner_AfterKeyRotation_StillDecryptsOldRows()
    {
        await Importer.ImportAsync([Account("4001", TradingPlatform.Mt4, 50_000, "Before-Rotation")]);
        var orderId = await Scenario.CreatePaidOrderAsync(AccountType.Instant, 50_000, TradingPlatform.Mt4);
        await DeliverAsync(orderId);
        var owner = await Scenario.ScalarAsync<Guid>("SELECT user_id FROM orders WHERE order_id = @orderId", new { orderId });
        var rotated = TestCredentials.Options("k-2027");
        rotated.PreviousKeys["k-2026"] = _keys.EncryptionKey;

        var credentials = await new AccountCredentialsReader(Database.DataSource, TestCredentials.Protector(rotated)).ReadForOwnerAsync(orderId, owner);

        Assert.Equal("Before-Rotation", credentials?.Password);
    }

    [Fact]
    public async Task Seed_RunTwice_AddsDemoAccountsOnce()
    {
        var seeder = new DemoInventorySeeder(Database.DataSource, Importer);

        var first = await seeder.SeedAsync(2);
        var second = await seeder.SeedAsync(2);

        Assert.Equal(6 * 2 * 2, first.Imported);
        Assert.Equal(0, second.Imported);
        Assert.Equal(first.Imported, second.Skipped);
    }

    [Fact]
    public async Task Import_MissingLogin_RejectedWithoutSecretsInMessage()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Importer.ImportAsync([Account(" ", TradingPlatform.Mt5, 10_000, "Leak-Me")]));

        Assert.Contains("accounts[0].login", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Leak-Me", error.Message, StringComparison.Ordinal);
    }

    private async Task DeliverAsync(string orderId)
    {
        var delivery = new DeliveryActivities(Database.DataSource, Announcer, TestMetrics.Instance, NullLogger<DeliveryActivities>.Instance);
        var outcome = await InActivity.RunAsync(() => delivery.DeliverOrderAsync(new OrderRef(orderId)));
        Assert.True(outcome.Delivered);
    }

    private static InventoryAccount Account(string login, TradingPlatform platform, int size, string password = "pw") =>
        new(login, password, password + "-investor", "Test-Broker", platform, size);
}
