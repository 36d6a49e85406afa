using FlashFundX.Api.Auth;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Reconciliation;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Api.Admin;

/// <summary>
/// <c>POST /admin/orders/{orderId}/retry-delivery</c>: an order waiting for stock tries its delivery now (a restock
/// signal to its running workflow); a paid, undelivered order whose run has closed (stopped at delivery when the
/// retries ran out) or an order the reconciler flagged gets a new run from its recorded state
/// (<see cref="OrderRunRestart"/>), which clears the flag. Every delivery goes through the workflow and its one-account-per-order
/// guard, so a retry can never deliver twice.
/// </summary>
public static partial class AdminRetryDeliveryApi
{
    public const string RestockSignalled = "restock_signalled";
    public const string Restarted = "restarted";

    public static RouteHandlerBuilder MapAdminRetryDeliveryApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/admin/orders/{orderId}/retry-delivery", RetryDeliveryAsync)
            .WithTags("Admin")
            .RequireAuthorization(AuthPolicies.Admin)
            .WithName("RetryOrderDelivery")
            .WithSummary("Make an order waiting for stock try its delivery now, or start a stopped or flagged order's run again from its recorded state")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    public static async Task<Results<Accepted<RetryDeliveryAccepted>, ProblemHttpResult>> RetryDeliveryAsync(
        string orderId,
        HttpContext context,
        OrderQueries orders,
        OrderWorkflowClient workflows,
        OrderRunRestart restart,
        AdminAuditLog audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var logger = loggers.CreateLogger(typeof(AdminRetryDeliveryApi));
        var order = OrderIds.IsValid(orderId) ? await orders.FindRowAsync(admin, orderId, adminSeesAll: true, cancellationToken) : null;
        if (order is null)
        {
            return OrdersApi.OrderNotFound(orderId);
        }

        var open = OpenOrders.IsOpen(order.OrderStatus, order.DeliveryStatus, order.Stage);
        string? action = null;
        if (open && order.DeliveryStatus == WireName.Of(DeliveryStatus.WaitingInventory)
            && await workflows.InventoryRestockedAsync(orderId, cancellationToken) == SignalResult.Delivered)
        {
            action = RestockSignalled;
        }
        else if (RefusalOf(order, open) is { } refusal)
        {
            LogRefused(logger, orderId, admin.UserId, refusal);
            return Conflict(refusal);
        }
        else
        {
            // An open run delivers (or waits) by itself; only a closed or missing one is replaced.
            var runStatus = await workflows.DescribeStatusAsync(orderId, cancellationToken);
            if (runStatus == WorkflowExecutionStatus.Running)
            {
                var running = $"Order {orderId} is {order.Stage} and its workflow is running: it delivers by itself, nothing to retry.";
                LogRefused(logger, orderId, admin.UserId, running);
                return Conflict(running);
            }
            // A run that closed while its order reads open may have done more than the row shows (a restore behind
            // Temporal): the reconciler flags it for an operator's review before anyone replaces it.
            if (open && order.AttentionReason is null && runStatus is { } closed)
            {
                var unreviewed = $"Order {orderId} reads {order.Stage} but its workflow has closed ({closed}): it is flagged for review by the reconciler's next pass; retry after reviewing the closed run.";
                LogRefused(logger, orderId, admin.UserId, unreviewed);
                return Conflict(unreviewed);
            }
            var outcome = await restart.StartFromRecordedStateAsync(orderId, replaceClosedRun: true, cancellationToken);
            if (outcome != RestartOutcome.Started)
            {
                var raced = $"Order {orderId} was not restarted: {(outcome == RestartOutcome.RunExists ? "another run of it started meanwhile" : "it is gone")}.";
                LogRefused(logger, orderId, admin.UserId, raced);
                return Conflict(raced);
            }
            action = Restarted;
        }

        await audit.WriteAsync(admin.UserId, AdminActions.OrderDeliveryRetried, orderId, new
        {
            action,
            orderStatus = order.OrderStatus,
            deliveryStatus = order.DeliveryStatus,
            stage = order.Stage,
            attentionReason = order.AttentionReason,
        }, cancellationToken);
        LogRetried(logger, orderId, OrderIds.WorkflowId(orderId), admin.UserId, action);
        return TypedResults.Accepted($"/orders/{orderId}", new RetryDeliveryAccepted(orderId, action));
    }

    /// <summary>Why the order's state allows no retry; null when a new run from its recorded state may be started.</summary>
    private static string? RefusalOf(OrderRow order, bool open)
    {
        if (order.DeliveryStatus == WireName.Of(DeliveryStatus.Delivered))
        {
            return $"Order {order.OrderId} has been delivered.";
        }
        if (order.OrderStatus == WireName.Of(OrderStatus.Cancelled))
        {
            return $"Order {order.OrderId} was cancelled ({order.DeliveryStatus}); it is not delivered any more.";
        }
        if (open && order.AttentionReason is not null)
        {
            return null;
        }
        if (order.PaidAt is null)
        {
            return $"Order {order.OrderId} is {order.OrderStatus} and not paid: there is no delivery to retry.";
        }
        // Paid and open (the caller then checks that no run is driving it), or paid and stopped undelivered
        // (refund_required after the delivery's retries ran out) with no refund recorded.
        return open || order.OrderStatus == WireName.Of(OrderStatus.Failed)
            ? null
            : $"Order {order.OrderId} is {order.OrderStatus}: there is no delivery to retry.";
    }

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to retry", detail: detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminUserId} retried the delivery of order {OrderId} (workflow {WorkflowId}): {Action}")]
    private static partial void LogRetried(ILogger logger, string orderId, string workflowId, Guid adminUserId, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminUserId} asked to retry the delivery of order {OrderId}, refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string orderId, Guid adminUserId, string reason);
}
