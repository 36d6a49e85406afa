using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.Observability.OpenApi;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.TestSupport.Temporal;
using Xunit;

namespace FlashFundX.Api.Tests.Docs;

/// <summary>The OpenAPI document and the interactive reference describe every endpoint the API maps.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDocumentationTests(PostgresFixture postgres, TemporalTestEnvironment temporal, SimulatorFixture simulator) : IAsyncLifetime
{
    private ApiApp _app = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() =>
        (_app, _database) = await ApiApp.StartAsync(postgres, temporal, simulator, "docs", worker: false);

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task OpenApi_EveryMappedEndpoint_DocumentedWithExamplesAndProblems()
    {
        using var client = _app.CreateClient();

        var gaps = await OpenApiCoverage.FindGapsAsync(_app.Services, client);

        Assert.Empty(gaps);
    }

    [Fact]
    public async Task Docs_Anonymous_ServesInteractiveReference()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
