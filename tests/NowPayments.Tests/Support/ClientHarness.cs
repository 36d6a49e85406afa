using FlashFundX.NowPayments.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlashFundX.NowPayments.Tests.Support;

/// <summary>A real DI container wired as a host would: bound, validated options plus <c>AddNowPaymentsClient()</c>.</summary>
public sealed class ClientHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public ClientHarness(string baseUrl, string apiKey, string ipnSecret = "harness-ipn-secret", TimeSpan? requestTimeout = null, Action<IHttpClientBuilder>? configureHttp = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NowPayments:BaseUrl"] = baseUrl,
            ["NowPayments:ApiKey"] = apiKey,
            ["NowPayments:IpnSecret"] = ipnSecret,
            ["NowPayments:IpnCallbackUrl"] = "http://127.0.0.1:9/webhooks/nowpayments",
            ["NowPayments:SuccessUrl"] = "https://ffx.example/payment/success",
            ["NowPayments:CancelUrl"] = "https://ffx.example/payment/cancel",
            ["NowPayments:RequestTimeout"] = (requestTimeout ?? TimeSpan.FromSeconds(10)).ToString(),
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddOptionsWithValidateOnStart<NowPaymentsOptions>()
            .BindConfiguration(NowPaymentsOptions.SectionName)
            .ValidateDataAnnotations();
        var http = services.AddNowPaymentsClient();
        configureHttp?.Invoke(http);
        _provider = services.BuildServiceProvider(validateScopes: true);
        Client = _provider.GetRequiredService<INowPaymentsClient>();
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public INowPaymentsClient Client { get; }

    public T GetRequiredService<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
