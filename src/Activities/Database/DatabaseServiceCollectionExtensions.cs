using FlashFundX.Activities.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FlashFundX.Activities.Database;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the process's one <see cref="NpgsqlDataSource"/> (a singleton, disposed with the container) and the
    /// <see cref="OrderEventAnnouncer"/> that uses it.
    /// </summary>
    public static IServiceCollection AddFulfillmentDatabase(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DapperConventions.Apply();
        services.TryAddSingleton(new FulfillmentDatabase(connectionString));
        services.TryAddSingleton(sp => FulfillmentDataSource.Create(connectionString, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<OrderEventAnnouncer>();
        return services;
    }
}
