using FlashFundX.Data.Credentials;
using FlashFundX.Data.Database;
using FlashFundX.Data.Delivery;
using FlashFundX.Data.Events;
using FlashFundX.Data.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashFundX.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// The process's one <c>NpgsqlDataSource</c> (a singleton, disposed with the container) from
    /// <see cref="DatabaseConnection"/>, and the services on it that the API and the worker share. The settings they
    /// read (<see cref="DatabaseConnection"/>, <see cref="CredentialsOptions"/>) are bound and validated by the host.
    /// </summary>
    public static IServiceCollection AddFulfillmentData(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        DapperConventions.Apply();
        services.TryAddSingleton(sp => new FulfillmentDatabase(sp.GetRequiredService<IOptions<DatabaseConnection>>().Value.ConnectionString));
        services.TryAddSingleton(sp => FulfillmentDataSource.Create(
            sp.GetRequiredService<FulfillmentDatabase>().ConnectionString, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<OrderEventAnnouncer>();
        services.TryAddSingleton<CredentialProtector>();
        services.TryAddSingleton<InventoryImporter>();
        services.TryAddSingleton<AccountCredentialsReader>();
        return services;
    }
}
