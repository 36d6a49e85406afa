using FlashFundX.Activities.Credentials;
using FlashFundX.Activities.Database;
using FlashFundX.Activities.Delivery;
using FlashFundX.Activities.Inventory;
using FlashFundX.Activities.Orders;
using FlashFundX.Activities.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Temporalio.Extensions.Hosting;

namespace FlashFundX.Activities;

public static class ActivitiesServiceCollectionExtensions
{
    /// <summary>
    /// The database (one <c>NpgsqlDataSource</c>), credential encryption (section <c>Credentials</c>, validated at start)
    /// and the inventory/credential services the API uses. The NowPayments client is registered by its own extension.
    /// </summary>
    public static IServiceCollection AddFulfillmentPersistence(
        this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddFulfillmentDatabase(connectionString);
        services.AddCredentialProtection(configuration);
        services.TryAddSingleton<InventoryImporter>();
        services.TryAddSingleton<DemoInventorySeeder>();
        services.TryAddSingleton<AccountCredentialsReader>();
        return services;
    }

    public static IServiceCollection AddCredentialProtection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<CredentialsOptions>()
            .Bind(configuration.GetSection(CredentialsOptions.SectionName))
            .ValidateDataAnnotations();
        services.TryAddSingleton<CredentialProtector>();
        return services;
    }

    /// <summary>Registers the three activity classes, each activity call in its own DI scope.</summary>
    public static ITemporalWorkerServiceOptionsBuilder AddFulfillmentActivities(this ITemporalWorkerServiceOptionsBuilder builder) =>
        builder
            .AddScopedActivities<OrderActivities>()
            .AddScopedActivities<DeliveryActivities>()
            .AddScopedActivities<PaymentActivities>();
}
