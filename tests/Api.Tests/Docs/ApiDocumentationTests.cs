using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.Observability.OpenApi;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Docs;

/// <summary>The OpenAPI document and the interactive reference describe every endpoint the API maps.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDocumentationTests(PostgresFixture postgres, TemporalTestEnvironment temporal, SimulatorFixture simulator)
    : ApiTestBase(postgres, temporal, simulator, "docs")
{
    [Fact]
    public async Task OpenApi_EveryMappedEndpoint_DocumentedWithExamplesAndProblems()
    {
        using var client = App.CreateClient();

        var gaps = await OpenApiCoverage.FindGapsAsync(App.Services, client);

        Assert.Empty(gaps);
    }

    [Fact]
    public async Task Docs_Anonymous_ServesInteractiveReference()
    {
        using var client = App.CreateClient();

        using var response = await client.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
