using FlashFundX.Api.Health;
using FlashFundX.ServiceDefaults.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlashFundX.Api.Reconciliation;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>The restart from recorded state, the reconciler's background pass and its readiness check.</summary>
    public static IServiceCollection AddOrderReconciler(this IServiceCollection services)
    {
        services.AddSettings<ReconcilerOptions>(ReconcilerOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OrderRunRestart>();
        services.AddSingleton<ReconcilerStatus>();
        services.AddSingleton<OrderReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<OrderReconciler>());
        services.AddHealthChecks().AddCheck<ReconcilerReadinessCheck>("reconciler", tags: [HealthApi.ReadyTag]);
        return services;
    }
}
