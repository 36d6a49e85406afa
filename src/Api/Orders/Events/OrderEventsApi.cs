using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Limits;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Orders.Events;

/// <summary>
/// <c>GET /orders/{orderId}/events</c>: one order's status changes live, as Server-Sent Events; <c>GET /orders/events</c>:
/// those of all the caller's orders.
/// </summary>
public static class OrderEventsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IEndpointRouteBuilder MapOrderEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/orders/events", StreamMineAsync)
            .RequireAuthorization()
            .RequireRateLimiting(LimitPolicies.OrderStreams)
            .WithTags("Orders")
            .WithName("GetMyOrderEvents")
            .WithSummary("Stream the status changes of all the caller's orders (text/event-stream); resumes after Last-Event-ID")
            .WithDescription("Admins get their own orders' changes only. Without Last-Event-ID the stream starts with the current state "
                + "of each of the caller's open orders; with it, every later event plus the latest event of each order changed "
                + "shortly before it (a repeat is possible, a gap is not). The stream stays open until the client leaves or "
                + "Limits:StreamMaxDuration has passed; the client then resumes with Last-Event-ID.")
            .Produces<OrderStatusEventDto>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
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
        return app;
    }

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
        if (!TryReadLastEventId(context, out var lastEventId, out var problem))
        {
            return problem;
        }
        return new OrderEventsResult(orderId, caller, lastEventId);
    }

    /// <summary>The caller's own orders, whoever the caller is (an admin's stream is not everybody's).</summary>
    public static Results<UserOrderEventsResult, ProblemHttpResult> StreamMineAsync(HttpContext context)
    {
        var caller = Caller.Require(context.User);
        if (!TryReadLastEventId(context, out var lastEventId, out var problem))
        {
            return problem;
        }
        return new UserOrderEventsResult(caller, lastEventId);
    }

    private static bool TryReadLastEventId(HttpContext context, out long? lastEventId, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        lastEventId = null;
        problem = null;
        var header = context.Request.Headers[LastEventIdHeader].ToString();
        if (header.Length == 0)
        {
            return true;
        }
        if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid Last-Event-ID",
                detail: "Last-Event-ID must be the id of an event this stream sent (a non-negative integer).");
            return false;
        }
        lastEventId = parsed;
        return true;
    }
}
