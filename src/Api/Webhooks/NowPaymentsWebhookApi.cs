using FlashFundX.Api.Limits;
using FlashFundX.Api.Problems;
using Microsoft.AspNetCore.Cors;

namespace FlashFundX.Api.Webhooks;

/// <summary><c>POST /webhooks/nowpayments</c>: NowPayments' signed IPN callback. Anonymous; the signature authenticates it.</summary>
public static class NowPaymentsWebhookApi
{
    public static IEndpointRouteBuilder MapNowPaymentsWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/nowpayments", (HttpRequest request, IpnProcessor processor, CancellationToken cancellationToken) =>
                processor.ProcessAsync(request, cancellationToken))
            .WithName("NowPaymentsIpn")
            .WithSummary("Receive a NowPayments payment-status notification (IPN)")
            .WithTags("Webhooks")
            .AllowAnonymous()
            .RequireRateLimiting(LimitPolicies.Webhook)
            .WithMetadata(new DisableCorsAttribute()) // a server-to-server call: no browser may make it
            .WithBodySizeLimit(null) // the processor records oversized IPNs before answering 413
            .Produces<IpnReceipt>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }
}
