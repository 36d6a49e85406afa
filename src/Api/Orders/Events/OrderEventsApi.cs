using System.Globalization;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Limits;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Orders.Events;

/// <summary><c>GET /orders/{orderId}/events</c>: the order's status changes live, as Server-Sent Events.</summary>
public static class OrderEventsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static RouteHandlerBuilder MapOrderEventsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/orders/{orderId}/events", StreamAsync)
            .RequireAuthorization()
            .RequireRateLimiting(LimitPolicies.OrderStreams)
            .WithTags("Orders")
            .WithName("GetOrderEvents")
            .WithSummary("Stream the order's status changes (text/event-stream) until it is closed; resumes after Last-Event-ID; closed after Limits:StreamMaxDuration")
            .Produces<OrderStatusEventDto>(StatusCodes.Status200OK, "text/event-stream")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>Same rule as <c>GET /orders/{orderId}</c>: the owner or an admin, anyone else 404.</summary>
    public static async Task<Results<OrderEventsResult, ProblemHttpResult>> StreamAsync(
        string orderId, HttpContext context, OrderQueries queries, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(context.User);
        var order = OrderIds.IsValid(orderId)
            ? await queries.FindAsync(caller, orderId, adminSeesAll: true, cancellationToken)
            : null;
        if (order is null)
        {
            return OrdersApi.OrderNotFound(orderId);
        }
        long? lastEventId = null;
        var header = context.Request.Headers[LastEventIdHeader].ToString();
        if (header.Length > 0)
        {
            if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid Last-Event-ID",
                    detail: "Last-Event-ID must be the id of an event this stream sent (a non-negative integer).");
            }
            lastEventId = parsed;
        }
        return new OrderEventsResult(orderId, caller, lastEventId);
    }
}
