using FlashFundX.ServiceDefaults.Settings;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Frontend;

/// <summary>
/// CORS for the configured frontend origins only: the API's methods and the request headers it reads. Other origins get
/// no CORS headers; the webhook opts out (its caller is a server).
/// </summary>
public static class FrontendCors
{
    public const string PolicyName = "frontend";

    private static readonly string[] RequestHeaders = ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"];

    private static readonly string[] ResponseHeaders = ["ETag", "Location", "Retry-After"];

    public static IServiceCollection AddFrontendCors(this IServiceCollection services)
    {
        services.AddSettings<FrontendOptions>(FrontendOptions.SectionName);
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<FrontendOptions>>((cors, frontend) => cors.AddPolicy(PolicyName, policy => policy
                .WithOrigins(frontend.Value.Origins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
                .WithHeaders(RequestHeaders)
                .WithExposedHeaders(ResponseHeaders)));
        return services;
    }
}
