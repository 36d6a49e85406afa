namespace FlashFundX.Api.Orders;

/// <summary>One page of orders, newest first.</summary>
public sealed record OrderPage(int Page, int PageSize, long TotalCount, IReadOnlyList<OrderDto> Items);
