using FlashFundX.Api.Auth;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary>Admin actions on orders: cancel (this file), list and detail, mark-paid, refunded (a file each).</summary>
public static partial class AdminOrdersApi
{
    public const int MaxReasonLength = 500;

    private static readonly string[] ClosedStatuses =
        [WireName.Of(OrderStatus.Completed), WireName.Of(OrderStatus.Cancelled), WireName.Of(OrderStatus.Expired), WireName.Of(OrderStatus.Failed), WireName.Of(OrderStatus.Refunded)];

    public static RouteGroupBuilder MapAdminOrdersApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/orders").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        admin.MapGet("/", ListOrdersAsync)
            .WithName("AdminListOrders")
            .WithSummary("Every order, newest first, filtered by status, stage, payment status, user, e-mail, creation time (from inclusive, to exclusive) or an order, invoice or payment id (q)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapGet("/{orderId}", GetOrderAsync)
            .WithName("AdminGetOrder")
            .WithSummary("One order with its payment reports, IPNs (outcome, time), order events, e-mails, delivered account (login and server) and its run's GetStatus answer")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapPost("/{orderId}/mark-paid", MarkPaidAsync)
            .WithName("AdminMarkOrderPaid")
            .WithSummary("Take a payment verified outside NowPayments' reports: when amount and currency are the order's price, its workflow takes it as paid and delivers; idempotent per reference")
            .ProducesOrderToolProblems();

        admin.MapPost("/{orderId}/refunded", MarkRefundedAsync)
            .WithName("AdminMarkOrderRefunded")
            .WithSummary("Record the refund of a refund_required order, which becomes refunded (final); idempotent per reference")
            .ProducesOrderToolProblems();

        admin.MapPost("/{orderId}/cancel", CancelOrderAsync)
            .WithName("CancelOrder")
            .WithSummary("Ask an order's workflow to cancel it (unpaid: cancelled; paid: flagged for refund)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return admin;
    }

    public static async Task<Results<Accepted<CancelOrderAccepted>, ValidationProblem, ProblemHttpResult>> CancelOrderAsync(
        string orderId,
        CancelOrderBody body,
        HttpContext context,
        OrderQueries orders,
        OrderWorkflowClient workflows,
        AdminAuditLog audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var reason = body.Reason?.Trim();
        // PostgreSQL text and jsonb (the audit log) cannot hold a NUL.
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength || reason.Contains('\0', StringComparison.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"reason is required (1–{MaxReasonLength} characters, no NUL)."],
            });
        }

        var order = OrderIds.IsValid(orderId) ? await orders.FindRowAsync(admin, orderId, adminSeesAll: true, cancellationToken) : null;
        if (order is null)
        {
            return OrdersApi.OrderNotFound(orderId);
        }

        var result = ClosedStatuses.Contains(order.OrderStatus)
            ? SignalResult.WorkflowNotRunning
            : await workflows.CancelAsync(orderId, new CancelOrderRequest(reason, admin.Email), cancellationToken);

        // A refused cancel changes nothing, so it is logged, not audited: a rejected request writes nothing.
        if (result == SignalResult.Delivered)
        {
            await audit.WriteAsync(admin.UserId, AdminActions.OrderCancelRequested, orderId, new
            {
                reason,
                orderStatus = order.OrderStatus,
            }, cancellationToken);
        }
        LogCancel(loggers.CreateLogger(typeof(AdminOrdersApi)), orderId, OrderIds.WorkflowId(orderId), admin.UserId, result);

        return result == SignalResult.Delivered
            ? TypedResults.Accepted($"/orders/{orderId}", new CancelOrderAccepted(orderId, reason))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Order already closed",
                detail: $"Order {orderId} is {order.OrderStatus} and has no running fulfillment to cancel.");
    }

    /// <summary>The problems mark-paid and refunded answer with.</summary>
    private static RouteHandlerBuilder ProducesOrderToolProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminUserId} asked to cancel order {OrderId} (workflow {WorkflowId}): {SignalResult}")]
    private static partial void LogCancel(ILogger logger, string orderId, string workflowId, Guid adminUserId, SignalResult signalResult);
}
