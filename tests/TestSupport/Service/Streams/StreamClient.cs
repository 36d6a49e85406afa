
namespace FlashFundX.TestSupport.Service.Streams;

/// <summary>An HttpClient for long-lived streams (no timeout, no connection limit) to the service under test.</summary>
public static class StreamClient
{
    public static HttpClient For(FulfillmentService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
