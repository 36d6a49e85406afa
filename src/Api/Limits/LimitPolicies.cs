using System.Globalization;
using System.Threading.RateLimiting;
using FlashFundX.Api.Auth;
using FlashFundX.ServiceDefaults.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Limits;

/// <summary>
/// The request limits of <see cref="LimitsOptions"/> on ASP.NET Core's rate limiter. Endpoints opt in with
/// <c>RequireRateLimiting(LimitPolicies.X)</c>; the middleware runs after authentication, so per-user limits key on the
/// token's <c>sub</c>. The per-process stream cap is the global limiter, applied only to endpoints of the
/// <see cref="OrderStreams"/> policy, so a stream counts against both its user's cap and the process's.
/// </summary>
public static class LimitPolicies
{
    /// <summary><c>POST /orders</c>: a fixed window per user.</summary>
    public const string OrderCreation = "order-creation";

    /// <summary>The NowPayments webhook: a fixed window per source address (the connection's remote address).</summary>
    public const string Webhook = "webhook";

    /// <summary>Order event streams: concurrent streams per user (and, through the global limiter, per process).</summary>
    public const string OrderStreams = "order-streams";

    private const string ProcessPartition = "process";

    public static IServiceCollection AddFulfillmentLimits(this IServiceCollection services)
    {
        services.AddSettings<LimitsOptions>(LimitsOptions.SectionName);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>(Configure);
        return services;
    }

    private static void Configure(RateLimiterOptions options, IOptions<LimitsOptions> settings)
    {
        // Read when a partition is first used, after start-up validated the section.
        LimitsOptions Limits() => settings.Value;

        options.AddPolicy(OrderCreation, context => RateLimitPartition.GetFixedWindowLimiter(UserKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Limits().OrderCreationsPerUser,
            Window = Limits().OrderCreationWindow,
            QueueLimit = 0,
        }));
        options.AddPolicy(Webhook, context => RateLimitPartition.GetFixedWindowLimiter(AddressKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Limits().WebhookRequestsPerAddress,
            Window = Limits().WebhookWindow,
            QueueLimit = 0,
        }));
        options.AddPolicy(OrderStreams, context => RateLimitPartition.GetConcurrencyLimiter(UserKey(context), _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = Limits().StreamsPerUser,
            QueueLimit = 0,
        }));
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsStream(context)
            ? RateLimitPartition.GetConcurrencyLimiter(ProcessPartition, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = Limits().StreamsPerProcess,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(string.Empty));
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (rejected, _) => LimitRejections.WriteAsync(rejected, options.GlobalLimiter, Limits());
    }

    internal static string? PolicyOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;

    private static bool IsStream(HttpContext context) => PolicyOf(context) == OrderStreams;

    // Every limited user endpoint requires authorization, which ran before the limiter: the sub is there.
    private static string UserKey(HttpContext context) =>
        Caller.From(context.User)?.UserId.ToString("N", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string AddressKey(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
}
