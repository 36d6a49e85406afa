using FlashFundX.TestSupport.Service;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client;
using Temporalio.Client.Interceptors;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>How the API tests start a <see cref="FulfillmentService"/>: the worker only when asked, IPNs sent by the tests themselves.</summary>
public static class ApiService
{
    public static Task<FulfillmentService> StartAsync(string label, bool worker = false, Action<FulfillmentServiceOptions>? configure = null)
    {
        var options = new FulfillmentServiceOptions { DatabaseLabel = label, InProcessWorker = worker };
        // The tests send every IPN themselves (IpnBuilder); nothing may reach the webhook behind their back.
        options.Settings["NowPayments:IpnCallbackUrl"] = "http://127.0.0.1:9/webhooks/nowpayments";
        options.Settings["Serilog:MinimumLevel:Default"] = "Warning";
        configure?.Invoke(options);
        return FulfillmentService.StartAsync(options);
    }

    /// <summary>Adds <paramref name="interceptor"/> to the app's own Temporal client (e.g. a gate that holds its calls).</summary>
    public static void InterceptTemporalClient(FulfillmentServiceOptions options, IClientInterceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConfigureServices = services => services.AddOptions<TemporalClientConnectOptions>()
            .PostConfigure(connect => connect.Interceptors = [.. connect.Interceptors ?? [], interceptor]);
    }
}
