namespace FlashFundX.Api.Orders;

/// <summary>What <see cref="OrderCreation"/> decided: an order (new or replayed), field errors, an idempotency-key conflict, or the open unpaid order cap.</summary>
public abstract record CreateOrderOutcome
{
    public sealed record Created(OrderDto Order, bool Replayed) : CreateOrderOutcome;

    public sealed record Invalid(IDictionary<string, string[]> Errors) : CreateOrderOutcome;

    public sealed record KeyReused(string OrderId) : CreateOrderOutcome;

    /// <summary>The caller already has <paramref name="OpenUnpaidOrders"/> open unpaid orders (<c>Limits:OpenUnpaidOrdersPerUser</c>).</summary>
    public sealed record LimitReached(int OpenUnpaidOrders) : CreateOrderOutcome;
}
