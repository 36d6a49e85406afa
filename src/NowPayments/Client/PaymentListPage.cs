using System.Text.Json.Serialization;

namespace FlashFundX.NowPayments.Client;

/// <summary>
/// One page of <c>GET /payment/?invoiceId=…</c>. The paging fields are camelCase in NowPayments' answer, unlike the rest.
/// </summary>
public sealed record PaymentListPage(
    IReadOnlyList<PaymentStatusReport>? Data,
    [property: JsonPropertyName("limit")] int? Limit,
    [property: JsonPropertyName("page")] int? Page,
    [property: JsonPropertyName("pagesCount")] int? PagesCount,
    [property: JsonPropertyName("total")] int? Total);
