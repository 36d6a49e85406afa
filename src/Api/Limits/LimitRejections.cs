using System.Globalization;
using System.Threading.RateLimiting;
using FlashFundX.Api.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace FlashFundX.Api.Limits;

/// <summary>
/// The 429 of a refused request: problem details naming the limit and its setting, and <c>Retry-After</c> (whole
/// seconds, rounded up) when the limiter knows when a permit frees up — the windows do, stream caps do not.
/// </summary>
internal static class LimitRejections
{
    public static async ValueTask WriteAsync(
        OnRejectedContext rejected, PartitionedRateLimiter<HttpContext>? processStreams, LimitsOptions limits)
    {
        var context = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        }
        var (title, detail, limit, setting) = Describe(context, processStreams, limits);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = title,
            Detail = detail,
            Extensions = { ["limit"] = limit, ["setting"] = setting },
        };
        await ProblemResponses.WriteAsync(context, problem).ConfigureAwait(false);
    }

    public static long RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));

    private static (string Title, string Detail, int Limit, string Setting) Describe(
        HttpContext context, PartitionedRateLimiter<HttpContext>? processStreams, LimitsOptions limits)
    {
        switch (LimitPolicies.PolicyOf(context))
        {
            case LimitPolicies.OrderCreation:
                return ("Too many orders created",
                    $"At most {limits.OrderCreationsPerUser} orders may be created per user per {Describe(limits.OrderCreationWindow)} " +
                    "(setting Limits:OrderCreationsPerUser, window Limits:OrderCreationWindow). Retry after the Retry-After seconds.",
                    limits.OrderCreationsPerUser, "Limits:OrderCreationsPerUser");
            case LimitPolicies.Webhook:
                return ("Too many webhook requests",
                    $"At most {limits.WebhookRequestsPerAddress} webhook requests are accepted from one address per {Describe(limits.WebhookWindow)} " +
                    "(setting Limits:WebhookRequestsPerAddress, window Limits:WebhookWindow). Retry after the Retry-After seconds.",
                    limits.WebhookRequestsPerAddress, "Limits:WebhookRequestsPerAddress");
            default:
                // The global limiter refused first when the process has no stream to spare; else the user's own cap did.
                var processFull = processStreams?.GetStatistics(context)?.CurrentAvailablePermits == 0;
                return processFull
                    ? ("Too many open streams",
                        $"This server already serves {limits.StreamsPerProcess} order event streams (setting Limits:StreamsPerProcess). Try again later or on another server.",
                        limits.StreamsPerProcess, "Limits:StreamsPerProcess")
                    : ("Too many open streams",
                        $"At most {limits.StreamsPerUser} order event streams may be open per user at once (setting Limits:StreamsPerUser). Close one and try again.",
                        limits.StreamsPerUser, "Limits:StreamsPerUser");
        }
    }

    private static string Describe(TimeSpan window) => window.ToString("c", CultureInfo.InvariantCulture);
}
