using System.Globalization;
using System.Net;
using FlashFundX.Api.OpenApi;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.LocalDev;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.TestSupport;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// Issue 24, ops endpoints, on a host outside Development (the harness runs as <c>Testing</c>; the published
/// Production host is checked the same way in EndToEnd.Tests): <c>/metrics</c> only on the management port
/// (<c>Metrics:Port</c>), 404 on the public one; <c>/openapi</c> and <c>/docs</c> 404 unless <c>ApiDocs:Enabled</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpsEndpointsTests() : ApiTestBase("opsendpoints", configure: options =>
    options.Settings["Metrics:Port"] = ManagementPort.ToString(CultureInfo.InvariantCulture))
{
    private static readonly int ManagementPort = LoopbackPorts.Free();

    [Fact]
    public async Task Metrics_PublicPort_Returns404()
    {
        using var client = Service.CreateClient();

        using var response = await client.GetAsync(new Uri(MetricsExtensions.MetricsPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_ManagementPortOnLoopback_ServesPrometheusText()
    {
        using var client = Service.CreateClient();
        await client.GetAsync(new Uri("/products", UriKind.Relative));
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}/") };

        var text = await Eventually.WaitAsync(
            () => management.GetStringAsync(new Uri(MetricsExtensions.MetricsPath, UriKind.Relative)),
            page => page.Contains("http_server_request_duration_seconds", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15),
            "the management port's /metrics to show the public port's request");

        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OpenApiExtensions.DocumentPath)]
    [InlineData(OpenApiExtensions.DocsPath)]
    public async Task ApiDocs_NotEnabledOutsideDevelopment_Return404Problem(string path)
    {
        using var client = Service.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }
}
