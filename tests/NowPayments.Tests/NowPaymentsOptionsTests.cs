using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlashFundX.NowPayments.Tests;

public sealed class NowPaymentsOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["NowPayments:BaseUrl"] = "https://api-sandbox.nowpayments.io/v1",
        ["NowPayments:ApiKey"] = "key-123-SECRET",
        ["NowPayments:IpnSecret"] = "ipn-456-SECRET",
        ["NowPayments:IpnCallbackUrl"] = "https://ffx.example/webhooks/nowpayments",
    };

    [Theory]
    [InlineData("NowPayments:BaseUrl", null, "BaseUrl")]
    [InlineData("NowPayments:BaseUrl", "not a url", "BaseUrl")]
    [InlineData("NowPayments:ApiKey", "", "ApiKey")]
    [InlineData("NowPayments:IpnSecret", null, "IpnSecret")]
    [InlineData("NowPayments:IpnCallbackUrl", "ftp://x", "IpnCallbackUrl")]
    [InlineData("NowPayments:RequestTimeout", "00:00:00", "RequestTimeout")]
    [InlineData("NowPayments:Email", "merchant@example.test", "Password")]
    [InlineData("NowPayments:Password", "pw-789-SECRET", "Email")]
    public void Validate_BadValue_FailsAtStartNamingTheSetting(string key, string? value, string named)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReturnUrlWithOrderIdPlaceholder_Accepted()
    {
        var options = Resolve(new Dictionary<string, string?>(Valid) { ["NowPayments:SuccessUrl"] = "https://shop.example.test/orders/{orderId}" });

        Assert.Equal("https://shop.example.test/orders/{orderId}", options.SuccessUrl);
    }

    [Fact]
    public void ToString_NeverShowsSecrets()
    {
        var text = Resolve(new Dictionary<string, string?>(Valid)
        {
            ["NowPayments:Email"] = "merchant@example.test",
            ["NowPayments:Password"] = "pw-789-SECRET",
        }).ToString();

        Assert.DoesNotContain("key-123-SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ipn-456-SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-789-SECRET", text, StringComparison.Ordinal);
        Assert.Contains("api-sandbox.nowpayments.io", text, StringComparison.Ordinal);
    }

    private static NowPaymentsOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptionsWithValidateOnStart<NowPaymentsOptions>()
            .BindConfiguration(NowPaymentsOptions.SectionName)
            .ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<NowPaymentsOptions>>().Value;
    }
}
