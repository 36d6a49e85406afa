using FlashFundX.Data.Credentials;
using FlashFundX.Data.Inventory;
using FlashFundX.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Activities.Tests;

public sealed class ServiceRegistrationTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=1;Database=x;Username=postgres";

    [Fact]
    public void AddFulfillmentPersistence_BadEncryptionKey_FailsNamingTheSetting()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Credentials:EncryptionKey"] = "too-short", ["Credentials:KeyId"] = "k1" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<CredentialProtector>());

        Assert.Contains("Credentials:EncryptionKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFulfillmentPersistence_ValidSettings_OneDataSourceAndServices()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Credentials:EncryptionKey"] = CredentialProtector.GenerateKey(),
            ["Credentials:KeyId"] = "k1",
        });

        Assert.Same(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<NpgsqlDataSource>());
        Assert.NotNull(provider.GetRequiredService<InventoryImporter>());
        Assert.Equal("k1", provider.GetRequiredService<CredentialProtector>().CurrentKeyId);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:FlashFundX"] = ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFulfillmentPersistence();
        return services.BuildServiceProvider();
    }
}
