using System.Text.Json;
using FlashFundX.Api.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FlashFundX.Ops.Tests.OpenApi;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task FindGapsAsync_AppUsingFulfillmentOpenApi_DocumentsEveryEndpoint()
    {
        await using var app = await FixtureApi.StartAsync();
        using var client = ClientFor(app);

        var gaps = await OpenApiCoverage.FindGapsAsync(app.Services, client);

        Assert.Empty(gaps);
    }

    [Fact]
    public async Task FindGapsAsync_EndpointWithoutSummaryOrExample_ReportsBoth()
    {
        await using var app = await FixtureApi.StartAsync(more => more.MapPut("/undocumented", (Dictionary<string, int> body) => TypedResults.NoContent()));
        using var client = ClientFor(app);

        var gaps = await OpenApiCoverage.FindGapsAsync(app.Services, client);

        Assert.Contains("PUT /undocumented: no summary (.WithSummary)", gaps);
        Assert.Contains("PUT /undocumented: request body application/json has no example", gaps);
    }

    [Fact]
    public async Task Document_SecuredOperation_HasBearerSchemeAndProblemExamples()
    {
        await using var app = await FixtureApi.StartAsync();
        using var client = ClientFor(app);

        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri(OpenApiExtensions.DocumentPath, UriKind.Relative)));
        var root = document.RootElement;
        var create = root.GetProperty("paths").EnumerateObject().First(p => p.Name.TrimEnd('/') == "/things").Value.GetProperty("post");

        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("FFX demo", create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("name").GetString());
        var unauthorized = create.GetProperty("responses").GetProperty("401").GetProperty("content").GetProperty("application/problem+json").GetProperty("example");
        Assert.Equal(401, unauthorized.GetProperty("status").GetInt32());
        var invalid = create.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("example");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Docs_Get_ServesScalarReference()
    {
        await using var app = await FixtureApi.StartAsync();
        using var client = ClientFor(app);

        using var response = await client.GetAsync(new Uri(OpenApiExtensions.DocsPath, UriKind.Relative));

        Assert.Equal(StatusCodes.Status200OK, (int)response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    private static HttpClient ClientFor(WebApplication app) => new()
    {
        BaseAddress = new Uri(app.Urls.First()),
    };
}
