using FlashFundX.ServiceDefaults.Settings;
namespace FlashFundX.Api.Orders.Events;

public static class OrderEventsServiceCollectionExtensions
{
    /// <summary>The live status stream: section <c>OrderEvents</c>, the event reader, the hub and its LISTEN connection.</summary>
    public static IServiceCollection AddOrderEvents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSettings<OrderEventsOptions>(OrderEventsOptions.SectionName);
        services.AddSingleton<OrderEventStore>();
        services.AddSingleton<OrderEventHub>();
        services.AddHostedService<OrderEventListener>();
        return services;
    }
}
