using FlashFundX.NowPayments.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlashFundX.NowPayments;

public static class NowPaymentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="INowPaymentsClient"/> as a typed client from <see cref="IHttpClientFactory"/>, plus
    /// <see cref="NowPaymentsHealthCheck"/>. The host binds and validates <see cref="NowPaymentsOptions"/>
    /// (<c>AddOptionsWithValidateOnStart&lt;NowPaymentsOptions&gt;().BindConfiguration(NowPaymentsOptions.SectionName).ValidateDataAnnotations()</c>).
    /// </summary>
    public static IHttpClientBuilder AddNowPaymentsClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NowPaymentsOptions>();
        services.TryAddTransient<NowPaymentsHealthCheck>();
        services.TryAddSingleton<NowPaymentsAccessToken>();

        return services
            .AddHttpClient<INowPaymentsClient, NowPaymentsClient>(client =>
            {
                // The client enforces NowPaymentsOptions.RequestTimeout itself so a timeout is told apart from cancellation.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            .RedactLoggedHeaders([NowPaymentsClient.ApiKeyHeader, NowPaymentsClient.AuthorizationHeader]);
    }
}
