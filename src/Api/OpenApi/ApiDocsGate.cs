using FlashFundX.Api.Problems;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.OpenApi;

/// <summary>
/// Answers 404 for the endpoints marked <see cref="ApiDocsEndpoint"/> while <see cref="ApiDocsOptions.Enabled"/> is off
/// (the setting is read per request, after the start validated it, never while the app composes itself).
/// </summary>
internal sealed class ApiDocsGate(RequestDelegate next, IOptions<ApiDocsOptions> options, IHostEnvironment environment)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ApiDocsEndpoint>() is not null
            && !(options.Value.Enabled ?? environment.IsDevelopment()))
        {
            return ProblemResponses.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found", "The API documentation is not served here.");
        }
        return next(context);
    }
}

/// <summary>Marks the OpenAPI document and the interactive reference, which <see cref="ApiDocsGate"/> serves only when enabled.</summary>
internal sealed class ApiDocsEndpoint
{
    public static readonly ApiDocsEndpoint Instance = new();
}
