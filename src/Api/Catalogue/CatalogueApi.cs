using System.Security.Cryptography;
using System.Text.Json;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FlashFundX.Api.Catalogue;

/// <summary>The public catalogue: what the shop sells, at what price, under which rules, and whether it is in stock.</summary>
public static class CatalogueApi
{
    /// <summary>Browsers and proxies may keep a catalogue this long; an ETag revalidates it after that.</summary>
    public const string CacheControl = "public, max-age=60";

    public static RouteGroupBuilder MapCatalogueApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/products").WithTags("Catalogue").AllowAnonymous();

        products.MapGet("/", ListProductsAsync)
            .WithName("ListProducts")
            .WithSummary("Every active product, by account type then size, with its price, rules and stock per platform")
            .Produces<IReadOnlyList<ProductDto>>()
            .Produces(StatusCodes.Status304NotModified);

        products.MapGet("/{accountType}/{accountSize:int}", GetProductAsync)
            .WithName("GetProduct")
            .WithSummary("One active product")
            .Produces<ProductDto>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return products;
    }

    public static async Task<IResult> ListProductsAsync(
        HttpContext context, ProductCatalogue catalogue, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        Cacheable(context, await catalogue.ListAsync(cancellationToken), json.Value.SerializerOptions);

    public static async Task<IResult> GetProductAsync(
        string accountType, int accountSize, HttpContext context, ProductCatalogue catalogue, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var product = WireName.TryParse<AccountType>(accountType, out var type)
            ? await catalogue.FindAsync(type, accountSize, cancellationToken)
            : null;
        if (product is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Product not found",
                detail: $"No active product '{accountType}' of size {accountSize}. GET /products lists them.");
        }
        return Cacheable(context, product, json.Value.SerializerOptions);
    }

    /// <summary>The body with a strong ETag of its bytes; 304 without a body when the client already has them.</summary>
    private static IResult Cacheable<T>(HttpContext context, T body, JsonSerializerOptions options)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, options);
        var etag = new EntityTagHeaderValue($"\"{Base64Url(SHA256.HashData(bytes).AsSpan(0, 16))}\"");
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = etag;
        context.Response.Headers.CacheControl = CacheControl;
        // Shared caches must not hand a response made for one origin (or none) to another: CORS headers differ by origin.
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(bytes, "application/json");
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
