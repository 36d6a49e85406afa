using FlashFundX.Api.Auth;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Temporal;
using FlashFundX.Api.Reconciliation;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary><c>POST /admin/orders/{orderId}/refunded</c>: a refund_required order becomes refunded, through the order's workflow.</summary>
public static partial class AdminOrdersApi
{
    public static async Task<Results<Ok<AdminOrder>, ValidationProblem, ProblemHttpResult>> MarkRefundedAsync(
        string orderId,
        RefundedBody body,
        HttpContext context,
        AdminOrderStore store,
        OrderWorkflowClient workflows,
        AdminAuditLog audit,
        OrderRunRestart restart,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var reference = CheckReference(errors, body.Reference);
        var note = CheckNote(errors, body.Note);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The refund has invalid fields; nothing was recorded.");
        }

        var order = OrderIds.IsValid(orderId) ? await store.FindAsync(orderId, cancellationToken) : null;
        if (order is null)
        {
            return OrdersApi.OrderNotFound(orderId);
        }
        var logger = loggers.CreateLogger(typeof(AdminOrdersApi));
        var recorded = await store.FindRefundAsync(orderId, cancellationToken);
        if (AnswerRecorded(recorded?.Reference, reference!, order, "refunded", "refunded", admin, logger) is { } answer)
        {
            return answer;
        }
        if (order.Stage != OrderStage.RefundRequired && order.DeliveryStatus != DeliveryStatus.RefundRequired)
        {
            return Conflict("Order needs no refund",
                $"Order {orderId} is {WireName.Of(order.OrderStatus)} (stage {WireName.Of(order.Stage)}, delivery {WireName.Of(order.DeliveryStatus)}), not refund_required.");
        }

        var request = new RefundRequest(reference!, note, admin.UserId, admin.Email);
        // A closed run's refund goes through a short run of the order's workflow, its input the order's recorded state.
        var result = await workflows.RecordRefundAsync(orderId, request, async () =>
            (await restart.BuildInputAsync(orderId, cancellationToken) ?? throw new InvalidOperationException($"Order {orderId} disappeared."))
                with { Refund = request },
            cancellationToken);
        return await FinishAsync(result, "refunded", "Refund not recorded", order, admin, store, logger, () =>
            audit.WriteAsync(admin.UserId, AdminActions.OrderRefunded, orderId, new
            {
                reference, note, orderStatus = WireName.Of(order.OrderStatus), deliveryStatus = WireName.Of(order.DeliveryStatus),
            }, cancellationToken), cancellationToken);
    }
}
