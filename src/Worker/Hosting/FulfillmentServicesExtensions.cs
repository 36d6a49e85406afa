using FlashFundX.Activities;
using FlashFundX.Activities.Database;
using FlashFundX.Activities.Notifications;
using FlashFundX.NowPayments;
using FlashFundX.Worker.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlashFundX.Worker.Hosting;

public static class FulfillmentServicesExtensions
{
    public const string ConnectionStringName = "FlashFundX";

    /// <summary>
    /// What both the API and the worker processes need: validated settings, the Temporal client, the database
    /// (migrated at start when <c>Database:MigrateOnStart</c> is true) and the payment-provider client.
    /// </summary>
    public static IHostApplicationBuilder AddFulfillmentCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddTemporalEnvironmentVariables();
        var services = builder.Services;

        services.AddOptionsWithValidateOnStart<TemporalSettings>()
            .BindConfiguration(TemporalSettings.SectionName)
            .ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<FulfillmentOptions>()
            .BindConfiguration(FulfillmentOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PollMaxInterval >= o.PollInitialInterval, "Fulfillment:PollMaxInterval must not be shorter than Fulfillment:PollInitialInterval.")
            .Validate(o => o.InvoiceLookupMaxInterval >= o.InvoiceLookupInitialInterval,
                "Fulfillment:InvoiceLookupMaxInterval must not be shorter than Fulfillment:InvoiceLookupInitialInterval.");
        services.AddFulfillmentTemporalClient();

        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} (env ConnectionStrings__{ConnectionStringName}) is required.");
        }
        services.AddFulfillmentPersistence(builder.Configuration, connectionString);
        if (builder.Configuration.GetValue("Database:MigrateOnStart", false))
        {
            services.AddHostedService<DatabaseMigrationService>();
        }

        services.AddOptionsWithValidateOnStart<NowPaymentsOptions>()
            .BindConfiguration(NowPaymentsOptions.SectionName)
            .ValidateDataAnnotations();
        services.AddNowPaymentsClient();
        services.AddOrderEmail();
        return builder;
    }
}
