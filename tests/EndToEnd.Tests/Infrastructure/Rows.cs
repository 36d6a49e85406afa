using FlashFundX.TestSupport.Service;

namespace FlashFundX.EndToEnd.Tests.Infrastructure;

/// <summary>What the database says about an order: the rows the promises are about.</summary>
public static class Rows
{
    public sealed record Delivered(Guid Id, Guid UserId, long ContainerAccountId, string Login, string Server, string Platform, int AccountSize, string CurrentPhase);

    public sealed record Webhook(string? PaymentId, string? PaymentStatus, string Outcome, int HttpStatus, bool SignatureValid);

    public sealed record Payment(string PaymentId, string ProviderStatus, string EvaluatedStatus, string Source, string? ParentPaymentId);

    public sealed record Stock(string Login, string Status, string? ReservedForOrderId);

    public static Task<IReadOnlyList<Delivered>> DeliveredAsync(this FulfillmentService service, string orderId) =>
        service.QueryAsync<Delivered>(
            """
            SELECT id, user_id AS UserId, container_account_id AS ContainerAccountId, login, server, platform, account_size AS AccountSize, current_phase AS CurrentPhase
            FROM delivered_accounts WHERE order_id = @orderId
            """, new { orderId });

    public static Task<IReadOnlyList<Webhook>> WebhooksAsync(this FulfillmentService service, string orderId) =>
        service.QueryAsync<Webhook>(
            "SELECT payment_id AS PaymentId, payment_status AS PaymentStatus, outcome, http_status AS HttpStatus, signature_valid AS SignatureValid FROM webhook_events WHERE order_id = @orderId ORDER BY id",
            new { orderId });

    public static Task<IReadOnlyList<Payment>> PaymentsAsync(this FulfillmentService service, string orderId) =>
        service.QueryAsync<Payment>(
            "SELECT payment_id AS PaymentId, provider_status AS ProviderStatus, evaluated_status AS EvaluatedStatus, source, parent_payment_id AS ParentPaymentId FROM payment_transactions WHERE order_id = @orderId ORDER BY id",
            new { orderId });

    /// <summary>The inventory accounts of one size and platform.</summary>
    public static Task<IReadOnlyList<Stock>> StockAsync(this FulfillmentService service, int accountSize, string platform) =>
        service.QueryAsync<Stock>(
            "SELECT login, status, reserved_for_order_id AS ReservedForOrderId FROM account_container WHERE account_size = @accountSize AND platform = @platform ORDER BY id",
            new { accountSize, platform });

    /// <summary>The user's totals (orders counted, amount spent), applied once per completed order.</summary>
    public static async Task<(int Orders, decimal Spent)> TotalsAsync(this FulfillmentService service, Guid userId)
    {
        var rows = await service.QueryAsync<(int, decimal)>("SELECT total_orders, total_spent FROM users WHERE id = @userId", new { userId });
        return rows.Count == 0 ? (0, 0m) : rows[0];
    }
}
