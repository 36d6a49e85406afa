using FlashFundX.TestSupport.Service;

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
}
