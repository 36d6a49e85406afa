using System.Text.Json.Serialization;

namespace FlashFundX.NowPayments.Client;

/// <summary>
/// One page of <c>GET /payment/?invoiceId=…</c>, as far as the client reads it (the answer also has <c>limit</c>,
/// <c>page</c> and <c>total</c>). <c>pagesCount</c> is camelCase in NowPayments' answer, unlike the rest.
/// </summary>
public sealed record PaymentListPage(
    IReadOnlyList<PaymentStatusReport>? Data,
    [property: JsonPropertyName("pagesCount")] int? PagesCount);
