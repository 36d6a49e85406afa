using System.Text.Json;
using System.Text.Json.Serialization;
using FlashFundX.Api.Admin;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Catalogue;
using FlashFundX.Api.Customers;
using FlashFundX.Api.Data;
using FlashFundX.Api.Frontend;
using FlashFundX.Api.Health;
using FlashFundX.Api.Hosting;
using FlashFundX.Api.Inventory;
using FlashFundX.Api.Limits;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Orders.Events;
using FlashFundX.Api.Problems;
using FlashFundX.Api.Reconciliation;
using FlashFundX.Api.Temporal;
using FlashFundX.Api.Webhooks;
using FlashFundX.Data.Database;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Api.OpenApi;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api;

/// <summary>The HTTP surface: authentication, problem details, endpoints.</summary>
public static class ApiExtensions
{
    /// <summary>Kestrel's outer bound on any request body; endpoints apply tighter <see cref="BodySizeLimit"/>s.</summary>
    private const long MaxRequestBodyBytes = 16 * 1024 * 1024;

    public static void AddFulfillmentApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        var development = builder.Environment.IsDevelopment();
        services.AddSettings<AuthOptions>(AuthOptions.SectionName)
            .PostConfigure(auth => auth.IssuerAndAudienceRequired = !development);
        services.AddSettings<OrderCreationOptions>(OrderCreationOptions.SectionName);
        services.AddFulfillmentLimits();
        // NowPaymentsOptions (the IPN secret) is bound and validated by the service defaults (AddFulfillmentCore).

        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role, AuthClaims.AdminRole));
        services.AddMemoryCache();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        services.AddFulfillmentHealthChecks();

        services.AddFrontendCors();
        // The API's own data source: ConnectionStrings:FlashFundX of the API, its login role (never the owner's). Hosts
        // that run the worker in this process give the worker the owner's (WorkerExtensions.AddInProcessFulfillmentWorker).
        services.AddKeyedSingleton(CallerScopedDatabase.DataSourceKey, (provider, _) => FulfillmentDataSource.Create(
            provider.GetRequiredService<IOptions<DatabaseConnection>>().Value.ConnectionString, provider.GetService<ILoggerFactory>()));
        services.AddSingleton<CallerScopedDatabase>();
        services.AddHostedService<SessionRoleCheck>();
        services.AddSingleton<ProductCatalogue>();
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<OrderWorkflowClient>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<OrderCreation>();
        services.AddSingleton<AccountCredentials>();
        services.AddSingleton<InventoryStore>();
        services.AddSingleton<InventoryAccounts>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<RestockNotifier>();
        services.AddSingleton<AdminAuditLog>();
        services.AddSingleton<WebhookEventStore>();
        services.AddSingleton<LatePaymentRecorder>();
        services.AddSingleton<IpnProcessor>();
        services.AddSettings<IpnDispatchOptions>(IpnDispatchOptions.SectionName);
        services.AddSettings<RejectedIpnOptions>(RejectedIpnOptions.SectionName);
        services.AddSingleton<RejectedIpnBudget>();
        services.AddSingleton<IpnDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<IpnDispatcher>());
        services.AddOrderReconciler();
        services.AddOrderEvents();

        services.AddFulfillmentOpenApi(examples => examples
            .Add(new CreateOrderRequest("two_step", 10000, "mt5", "usdt_trc20"))
            .Add(new CancelOrderBody("Customer asked by e-mail #4411"))
            .Add(new ProductBody(189.00m, "usd", new ProductRulesBody(8m, 5m, 5m, 10m, 4, 80m, "1:100"), Active: true))
            .Add(new ImportInventoryRequest([new InventoryAccountInput("5123456", "<password>", "<investor password>", "Broker-Live01", "mt5", 10000)]))
            .Add(new InventoryAccountPatch("Broker-Live01", null, "disabled")));
        services.AddWaitingInventoryGauge(WaitingInventoryCount.ReadAsync);
    }

    public static void MapFulfillmentApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseFulfillmentRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(FrontendCors.PolicyName);
        app.UseAuthentication();
        app.UseMiddleware<UserProvisioningMiddleware>();
        app.UseAuthorization();
        // After authorization: an endpoint that needs a caller refuses an anonymous one (401) before any body is read,
        // and per-user limits key on the token's sub.
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseFulfillmentApiDocsGate();
        app.UseRateLimiter();

        app.MapHealthApi();
        // Outside Development /metrics is served only on the management listener (Metrics:Port, MetricsServer).
        if (app.Environment.IsDevelopment())
        {
            app.MapFulfillmentMetrics();
        }
        app.MapFulfillmentApiDocs();
        app.MapCatalogueApi();
        app.MapAdminProductsApi();
        app.MapMeApi();
        app.MapOrdersApi();
        app.MapOrderEventsApi();
        app.MapInventoryApi();
        app.MapAdminInventoryApi();
        app.MapAdminAuditApi();
        app.MapAdminUsersApi();
        app.MapAdminOrdersApi();
        app.MapAdminRetryDeliveryApi();
        app.MapNowPaymentsWebhook();
    }

    /// <summary>camelCase properties, lower snake_case enums, numbers only as JSON numbers.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
