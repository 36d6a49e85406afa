using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using FlashFundX.ServiceDefaults.Settings;
using Scalar.AspNetCore;

namespace FlashFundX.Api.OpenApi;

public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/docs";

    /// <summary>
    /// ASP.NET Core's OpenAPI document (<c>v1</c>) with the bearer scheme, request examples
    /// (<paramref name="configureExamples"/>: one per request-body type) and problem-details examples on every error response.
    /// </summary>
    public static IServiceCollection AddFulfillmentOpenApi(this IServiceCollection services, Action<OpenApiExamples>? configureExamples = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var examples = new OpenApiExamples();
        configureExamples?.Invoke(examples);
        services.AddSingleton(examples);
        services.AddSettings<ApiDocsOptions>(ApiDocsOptions.SectionName);
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "FlashFundX API";
                document.Info.Description = "Prop-trading accounts paid in crypto: orders, delivered accounts, admin inventory and cancel, NowPayments webhook.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            // Order matters: the first two add responses that the last one fills with problem details.
            options.AddOperationTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<RequestExampleTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
        });
        return services;
    }

    /// <summary>
    /// The document at <c>/openapi/v1.json</c> and Scalar's interactive reference at <c>/docs</c>, both anonymous and
    /// marked <see cref="ApiDocsEndpoint"/>: behind <see cref="UseFulfillmentApiDocsGate"/> they answer only when
    /// <c>ApiDocs:Enabled</c> (default: Development only).
    /// </summary>
    public static IEndpointRouteBuilder MapFulfillmentApiDocs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().WithMetadata(ApiDocsEndpoint.Instance);
        endpoints.MapScalarApiReference(DocsPath, options => options
                .WithTitle("FlashFundX API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes(BearerSecurityTransformer.SchemeName))
            .AllowAnonymous()
            .WithMetadata(ApiDocsEndpoint.Instance);
        return endpoints;
    }

    /// <summary>404 for the documentation endpoints unless <c>ApiDocs:Enabled</c> (unset: on in Development only).</summary>
    public static IApplicationBuilder UseFulfillmentApiDocsGate(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<ApiDocsGate>();
    }

    /// <summary>This endpoint's request-body example (overrides the one registered for the body type).</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object example)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(example);
        return builder.WithMetadata(new RequestExampleMetadata(example));
    }
}
