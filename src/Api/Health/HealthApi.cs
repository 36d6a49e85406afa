using System.Text.Json;
using FlashFundX.Api.Auth;
using FlashFundX.ServiceDefaults.Settings;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlashFundX.Api.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (PostgreSQL and Temporal reachable, else 503; NowPayments' status reported as degraded).</summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";
    public const string ProviderCheck = "nowpayments";

    /// <summary>What callers other than admins read about the provider when it is not healthy (the reason is logged).</summary>
    public const string ProviderUnavailable = "NowPayments is not answering as expected; the reason is in the API's log.";

    public static IHealthChecksBuilder AddFulfillmentHealthChecks(this IServiceCollection services)
    {
        services.AddSettings<HealthOptions>(HealthOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CachedProviderCheck>();
        return services.AddHealthChecks()
            .AddCheck<PostgresReadinessCheck>("postgresql", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<TemporalReadinessCheck>("temporal", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            // Degraded, not unhealthy: while the provider is down the webhook must stay reachable and orders wait on retries.
            .AddCheck<CachedProviderCheck>(ProviderCheck, HealthStatus.Degraded, tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithName("Live").WithSummary("Liveness: the process answers").WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithName("Ready").WithSummary("Readiness: PostgreSQL and Temporal reachable").WithTags("Health").AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        // The provider's own error text (an account name, an upstream message) is for admins and the log, not for anyone.
        var showProviderReason = context.User.IsInRole(AuthClaims.AdminRole);
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Key == ProviderCheck && e.Value.Status != HealthStatus.Healthy && !showProviderReason
                    ? ProviderUnavailable
                    : e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
