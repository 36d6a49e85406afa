using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Contracts;

/// <summary>
/// Everything the workflow needs to know about the order; ids and non-secret fields only. With <see cref="Refund"/> the
/// run only records an admin's refund of an order whose fulfillment run has closed, and ends.
/// </summary>
public sealed record OrderFulfillmentInput(
    string OrderId,
    Guid UserId,
    AccountType AccountType,
    int AccountSize,
    TradingPlatform Platform,
    decimal PriceAmount,
    string PriceCurrency,
    string PayCurrency,
    FulfillmentSettings Settings,
    FulfillmentCarryOver? CarryOver = null,
    RefundRequest? Refund = null);
