using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.Api.OpenApi;

/// <summary>
/// Checks that an app's OpenAPI document covers every endpoint it maps: each one present with a summary, a request
/// example when it takes a body, problem-details error responses with examples, and the bearer requirement (with
/// a 401) when it needs authorization. Meant for tests: <c>Assert.Empty(await OpenApiCoverage.FindGapsAsync(...))</c>.
/// </summary>
public static partial class OpenApiCoverage
{
    /// <summary>Paths that serve the docs and metrics themselves, not the API.</summary>
    private static readonly string[] InfrastructurePrefixes = ["/openapi", OpenApiExtensions.DocsPath, "/metrics", "/scalar"];

    /// <param name="services">The started app's services (<c>WebApplicationFactory.Services</c>, <c>app.Services</c>).</param>
    /// <param name="client">A client for that app, to fetch the document as a user would.</param>
    /// <returns>One readable line per gap, e.g. <c>POST /orders: request body has no example</c>; empty when complete.</returns>
    public static async Task<IReadOnlyList<string>> FindGapsAsync(
        IServiceProvider services,
        HttpClient client,
        string documentPath = OpenApiExtensions.DocumentPath,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(documentPath, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return [$"GET {documentPath} answered {(int)response.StatusCode}"];
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var paths = document.RootElement.TryGetProperty("paths", out var p) ? p : default;
        var documented = paths.ValueKind == JsonValueKind.Object
            ? paths.EnumerateObject().ToDictionary(e => NormalizePath(e.Name), e => e.Value, StringComparer.OrdinalIgnoreCase)
            : [];

        var gaps = new List<string>();
        foreach (var (method, path, endpoint) in ApiEndpoints(services))
        {
            var name = $"{method} {path}";
            if (!documented.TryGetValue(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                gaps.Add($"{name}: not in {documentPath}");
                continue;
            }
            gaps.AddRange(OperationGaps(operation, endpoint).Select(gap => $"{name}: {gap}"));
        }
        return gaps;
    }

    private static IEnumerable<string> OperationGaps(JsonElement operation, Endpoint endpoint)
    {
        if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
        {
            yield return "no summary (.WithSummary)";
        }
        if (operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
        {
            foreach (var media in content.EnumerateObject().Where(m => !HasExample(m.Value)))
            {
                yield return $"request body {media.Name} has no example";
            }
        }

        var errors = operation.TryGetProperty("responses", out var responses)
            ? responses.EnumerateObject().Where(r => int.TryParse(r.Name, out var status) && status >= 400).ToList()
            : [];
        if (errors.Count == 0)
        {
            yield return "documents no error response";
        }
        foreach (var error in errors)
        {
            if (!error.Value.TryGetProperty("content", out var errorContent)
                || !errorContent.TryGetProperty(ProblemResponsesTransformer.ProblemJson, out var problem))
            {
                yield return $"{error.Name} is not {ProblemResponsesTransformer.ProblemJson}";
            }
            else if (!HasExample(problem))
            {
                yield return $"{error.Name} problem details have no example";
            }
        }

        var secured = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
        if (secured && (!operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0))
        {
            yield return "requires authorization but declares no bearer security";
        }
        if (secured && !errors.Any(e => e.Name == "401"))
        {
            yield return "requires authorization but documents no 401";
        }
    }

    private static bool HasExample(JsonElement media) =>
        media.TryGetProperty("example", out _) || (media.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any());

    private static IEnumerable<(string Method, string Path, Endpoint Endpoint)> ApiEndpoints(IServiceProvider services)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var path = NormalizePath(endpoint.RoutePattern.RawText ?? string.Empty);
            if (methods is null || methods.Count == 0
                || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
                || InfrastructurePrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            foreach (var method in methods)
            {
                yield return (method, path, endpoint);
            }
        }
    }

    /// <summary><c>orders/{orderId:regex(..)}/</c> and <c>/orders/{orderId}</c> both become <c>/orders/{orderId}</c>.</summary>
    private static string NormalizePath(string template)
    {
        var path = "/" + RouteParameter().Replace(template, "{$1}").Trim('/');
        return path;
    }

    [GeneratedRegex(@"\{\*{0,2}([^:}=?]+)[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex RouteParameter();
}
