using System.Net;
using System.Text;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.Workflows.Domain;
using Serilog.Events;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// What an IPN sender chooses (order id, payment id, status) reaches the log properties cut to
/// <see cref="UntrustedText.MaxLogLength"/> characters and without control characters, signed or not.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UntrustedLogValuesTests() : ApiTestBase(
    "untrustedlogs", configure: options => options.Settings["Serilog:MinimumLevel:Default"] = "Information")
{
    private static readonly string[] UntrustedProperties = ["OrderId", "PaymentId", "PaymentStatus", "ProviderStatus", "WorkflowId"];

    [Fact]
    public async Task Webhook_HugeFields_SignedOrNot_LoggedCutWithoutControlCharacters()
    {
        var orderId = new string('o', 5000) + "\nFAKE log line";
        var paymentId = new string('p', 5000);
        var status = new string('s', 5000);
        var json = $$"""{"order_id":"{{orderId.Replace("\n", "\\n", StringComparison.Ordinal)}}","payment_id":"{{paymentId}}","payment_status":"{{status}}"}""";
        var body = Encoding.UTF8.GetBytes(json);
        using var provider = Service.CreateClient();

        using var unsigned = await provider.SendAsync(IpnBuilder.Request(body, signature: null));
        using var signed = await provider.SendAsync(IpnBuilder.SignedRequest(body, Service.IpnSecret));
        using var again = await provider.SendAsync(IpnBuilder.SignedRequest(body, Service.IpnSecret));

        await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var logged = Service.Logs.Events
            .SelectMany(e => e.Properties.Where(p => UntrustedProperties.Contains(p.Key)))
            .Select(p => (p.Key, Value: (p.Value as ScalarValue)?.Value as string ?? ""))
            .Where(p => p.Value.Contains("ooo", StringComparison.Ordinal) || p.Value.Contains("ppp", StringComparison.Ordinal)
                || p.Value.Contains("sss", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(logged, p => p.Key == "OrderId");   // rejected, orphaned and duplicate
        Assert.Contains(logged, p => p.Key == "PaymentId"); // orphaned and duplicate
        Assert.Contains(logged, p => p.Key == "PaymentStatus"); // duplicate
        Assert.All(logged, p =>
        {
            Assert.True(p.Value.Length <= UntrustedText.MaxLogLength, $"{p.Key} logged with {p.Value.Length} characters");
            Assert.DoesNotContain(p.Value, char.IsControl);
        });
        Assert.Empty(Service.Logs.LinesContaining(new string('o', UntrustedText.MaxLogLength + 1)));
        Assert.Empty(Service.Logs.LinesContaining("FAKE log line"));
    }
}
