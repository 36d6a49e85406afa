using FlashFundX.Api.Auth;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary><c>POST /admin/orders/{orderId}/mark-paid</c>: a payment verified outside NowPayments' reports, through the order's workflow.</summary>
public static partial class AdminOrdersApi
{
    public const int MaxReferenceLength = 200;
    public const int MaxNoteLength = 500;

    /// <summary>The price column is numeric(10, 2).</summary>
    private const decimal MaxAmount = 99_999_999.99m;

    public static async Task<Results<Ok<AdminOrder>, ValidationProblem, ProblemHttpResult>> MarkPaidAsync(
        string orderId,
        MarkPaidBody body,
        HttpContext context,
        AdminOrderStore store,
        OrderWorkflowClient workflows,
        AdminAuditLog audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var reference = CheckReference(errors, body.Reference);
        var note = CheckNote(errors, body.Note);
        if (body.Amount is not { } amount || amount <= 0 || amount > MaxAmount)
        {
            errors["amount"] = [$"amount is required: the price paid, more than 0 and at most {MaxAmount}."];
            amount = 0;
        }
        var currency = body.Currency?.Trim();
        if (string.IsNullOrEmpty(currency) || currency.Length > 10 || !currency.All(char.IsAsciiLetterOrDigit))
        {
            errors["currency"] = ["currency is required: the order's price currency (e.g. usd)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The payment has invalid fields; nothing was recorded.");
        }

        var order = OrderIds.IsValid(orderId) ? await store.FindAsync(orderId, cancellationToken) : null;
        if (order is null)
        {
            return OrdersApi.OrderNotFound(orderId);
        }
        var logger = loggers.CreateLogger(typeof(AdminOrdersApi));
        // Idempotent per reference, also once the run has closed: the recorded payment answers a repeat.
        var recorded = await store.FindManualPaymentAsync(orderId, cancellationToken);
        if (AnswerRecorded(recorded?.Reference, reference!, order, "mark-paid", "marked paid", admin, logger) is { } answer)
        {
            return answer;
        }
        // The stage the run wrote: an order whose invoice is not created yet is not waiting for a payment either.
        if (order.Stage is not (OrderStage.AwaitingPayment or OrderStage.PartiallyPaid))
        {
            return Conflict("Order not waiting for a payment", $"Order {orderId} is {WireName.Of(order.OrderStatus)} (stage {WireName.Of(order.Stage)}), not waiting for a payment.");
        }

        var request = new ManualPaymentRequest(reference!, amount, currency!, note, admin.UserId, admin.Email);
        var result = await workflows.MarkPaidAsync(orderId, request, cancellationToken);
        return await FinishAsync(result, "mark-paid", "Payment not taken", order, admin, store, logger, () =>
            audit.WriteAsync(admin.UserId, AdminActions.OrderMarkedPaid, orderId, new
            {
                reference, amount, currency, note, orderStatus = WireName.Of(order.OrderStatus),
            }, cancellationToken), cancellationToken);
    }
}
