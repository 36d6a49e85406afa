using System.Net;
using System.Text;
using FlashFundX.NowPayments.Simulator;

namespace FlashFundX.NowPayments.Tests.Simulator;

/// <summary>The simulator refuses bodies the way the provider does, and never buffers more than its limit.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class SimulatorRequestBodyTests : IAsyncLifetime
{
    private const string ApiKey = "sim-body-api-key";
    private NowPaymentsSimulator _simulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _simulator = await NowPaymentsSimulator.StartAsync(new SimulatorOptions
        {
            ApiKey = ApiKey,
            IpnSecret = "sim-body-ipn-secret",
            AccountEmail = "ops@flashfundx.test",
            AccountPassword = "sim-body-password",
        });
        _http = new HttpClient { BaseAddress = new Uri(_simulator.BaseUrl) };
        _http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Theory]
    [InlineData("invoice")]
    [InlineData("auth")]
    public async Task Post_OneMegabyteBody_Is413(string path)
    {
        var body = "{\"email\":\"" + new string('a', 1024 * 1024) + "\"}";

        using var response = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("PAYLOAD_TOO_LARGE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invoice", "not json")]
    [InlineData("invoice", "[1, 2]")]
    [InlineData("auth", "{\"email\":")]
    [InlineData("auth", "\"just a string\"")]
    public async Task Post_BodyThatIsNoJsonObject_Is400(string path, string body)
    {
        using var response = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("INVALID_REQUEST_PARAMS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAuth_RightLogin_StillIssuesAToken()
    {
        using var response = await PostAsync("auth", "{\"email\":\"ops@flashfundx.test\",\"password\":\"sim-body-password\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"token\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
}
