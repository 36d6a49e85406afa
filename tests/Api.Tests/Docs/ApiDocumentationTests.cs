using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.Api.OpenApi;
using Xunit;

namespace FlashFundX.Api.Tests.Docs;

/// <summary>
/// The OpenAPI document and the interactive reference describe every endpoint the API maps (served outside Development
/// because <c>ApiDocs:Enabled</c> turns them on; <c>OpsEndpointsTests</c> checks they are off by default).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDocumentationTests() : ApiTestBase("docs", configure: options => options.Settings["ApiDocs:Enabled"] = "true")
{
    [Fact]
    public async Task OpenApi_EveryMappedEndpoint_DocumentedWithExamplesAndProblems()
    {
        using var client = Service.CreateClient();

        var gaps = await OpenApiCoverage.FindGapsAsync(Service.Services, client);

        Assert.Empty(gaps);
    }

    [Fact]
    public async Task Docs_Anonymous_ServesInteractiveReference()
    {
        // A browser follows the reference's redirect to its page; the service's clients do not follow redirects.
        using var client = new HttpClient { BaseAddress = Service.BaseAddress };

        using var response = await client.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
