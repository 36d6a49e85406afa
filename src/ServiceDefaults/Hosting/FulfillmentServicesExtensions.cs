using FlashFundX.Data;
using FlashFundX.Data.Credentials;
using FlashFundX.Data.Database;
using FlashFundX.NowPayments;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.ServiceDefaults.Logging;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.ServiceDefaults.Temporal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlashFundX.ServiceDefaults.Hosting;

public static class FulfillmentServicesExtensions
{
    /// <summary>What the API and the worker processes both need: logging, settings, Temporal client, database, payment-provider client, metrics.</summary>
    public static IHostApplicationBuilder AddFulfillmentServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFulfillmentLogging();
        builder.AddFulfillmentCore();
        builder.AddFulfillmentObservability();
        return builder;
    }

    /// <summary>
    /// Validated settings, the Temporal client, the database (migrated at start when <c>Database:MigrateOnStart</c> is
    /// true) and the payment-provider client. Nothing connects until used.
    /// </summary>
    public static IHostApplicationBuilder AddFulfillmentCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddTemporalEnvironmentVariables();
        var services = builder.Services;

        services.AddSettings<TemporalSettings>(TemporalSettings.SectionName);
        services.AddSettings<FulfillmentOptions>(FulfillmentOptions.SectionName)
            .Validate(o => o.PollMaxInterval >= o.PollInitialInterval, "Fulfillment:PollMaxInterval must not be shorter than Fulfillment:PollInitialInterval.")
            .Validate(o => o.InvoiceLookupMaxInterval >= o.InvoiceLookupInitialInterval,
                "Fulfillment:InvoiceLookupMaxInterval must not be shorter than Fulfillment:InvoiceLookupInitialInterval.");
        services.AddFulfillmentTemporalClient();

        services.AddFulfillmentPersistence();
        services.AddHostedService<DatabaseMigrationService>();

        services.AddSettings<NowPaymentsOptions>(NowPaymentsOptions.SectionName);
        services.AddNowPaymentsClient();
        return builder;
    }

    /// <summary>The database settings (<c>ConnectionStrings:FlashFundX</c>, <c>Database</c>, <c>Credentials</c>), validated at start, and the data services on them.</summary>
    public static IServiceCollection AddFulfillmentPersistence(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<DatabaseConnection>()
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseConnection.Name) ?? "")
            .ValidateSettings("ConnectionStrings");
        services.AddSettings<DatabaseOptions>(DatabaseOptions.SectionName);
        services.AddSettings<CredentialsOptions>(CredentialsOptions.SectionName);
        services.AddFulfillmentData();
        return services;
    }
}
