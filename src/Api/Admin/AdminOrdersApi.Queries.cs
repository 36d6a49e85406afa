using System.Globalization;
using FlashFundX.Api.Orders;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary><c>GET /admin/orders</c> and <c>GET /admin/orders/{orderId}</c>.</summary>
public static partial class AdminOrdersApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    private const int MaxFilterLength = 200;

    public static async Task<Results<Ok<AdminOrderPage>, ValidationProblem>> ListOrdersAsync(
        AdminOrderStore store,
        CancellationToken cancellationToken,
        int? page = null,
        int? pageSize = null,
        string? status = null,
        string? stage = null,
        string? paymentStatus = null,
        string? userId = null,
        string? email = null,
        string? from = null,
        string? to = null,
        string? q = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (page is < 1 or > 1_000_000)
        {
            errors["page"] = ["page must be between 1 and 1000000."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        CheckEnum<OrderStatus>(errors, "status", status);
        CheckEnum<OrderStage>(errors, "stage", stage);
        CheckEnum<PaymentStatus>(errors, "paymentStatus", paymentStatus);
        Guid? user = null;
        if (userId is not null)
        {
            if (Guid.TryParse(userId, out var parsed))
            {
                user = parsed;
            }
            else
            {
                errors["userId"] = ["userId must be a uuid."];
            }
        }
        var fromTime = ParseTime(errors, "from", from);
        var toTime = ParseTime(errors, "to", to);
        CheckText(errors, "email", email);
        CheckText(errors, "q", q);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The order filters are invalid.");
        }

        var filter = new AdminOrderFilter(status, stage, paymentStatus, user, email?.Trim(), fromTime, toTime, q?.Trim());
        return TypedResults.Ok(await store.ListAsync(filter, page ?? 1, pageSize ?? DefaultPageSize, cancellationToken));
    }

    public static async Task<Results<Ok<AdminOrderDetail>, ProblemHttpResult>> GetOrderAsync(
        string orderId, AdminOrderStore store, OrderWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var order = OrderIds.IsValid(orderId) ? await store.FindAsync(orderId, cancellationToken) : null;
        if (order is null)
        {
            return OrdersApi.OrderNotFound(orderId);
        }
        // Both at once: the page answers from the database whatever Temporal does.
        var statusTask = workflows.GetStatusAsync(orderId, cancellationToken);
        var records = await store.ReadRecordsAsync(orderId, cancellationToken);
        var status = await statusTask;
        return TypedResults.Ok(new AdminOrderDetail(
            order, records.ManualPayment, records.Refund, records.PaymentReports, records.WebhookEvents, records.OrderEvents,
            records.Emails, records.DeliveredAccount, status));
    }

    private static void CheckEnum<TEnum>(Dictionary<string, string[]> errors, string name, string? value) where TEnum : struct, Enum
    {
        if (value is not null && !WireName.TryParse<TEnum>(value, out _))
        {
            errors[name] = [$"{name} must be one of: {string.Join(", ", WireName.All<TEnum>())}."];
        }
    }

    private static DateTime? ParseTime(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            && parsed.Year is >= 2000 and <= 9998)
        {
            return parsed.UtcDateTime;
        }
        errors[name] = [$"{name} must be an ISO 8601 date or time (UTC unless an offset is given)."];
        return null;
    }

    private static void CheckText(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (value is not null && (string.IsNullOrWhiteSpace(value) || value.Length > MaxFilterLength || value.Any(char.IsControl)))
        {
            errors[name] = [$"{name} must be 1–{MaxFilterLength} characters without control characters."];
        }
    }
}
