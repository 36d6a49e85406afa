namespace FlashFundX.Api.Orders;

/// <summary>What <see cref="OrderCreation"/> decided: an order (new or replayed), field errors, or an idempotency-key conflict.</summary>
public abstract record CreateOrderOutcome
{
    public sealed record Created(OrderDto Order, bool Replayed) : CreateOrderOutcome;

    public sealed record Invalid(IDictionary<string, string[]> Errors) : CreateOrderOutcome;

    public sealed record KeyReused(string OrderId) : CreateOrderOutcome;
}
