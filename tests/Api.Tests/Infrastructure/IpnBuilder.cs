using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// Builds IPN bodies the way NowPayments sends them and signs them independently of the code under test: the body
/// is written with its keys already sorted and compact, so it is its own canonical form, and the signature is the
/// hex HMAC-SHA512 of those bytes.
/// </summary>
public static class IpnBuilder
{
    public static byte[] Body(
        string orderId,
        string paymentId,
        string status,
        decimal priceAmount,
        string priceCurrency = "usd",
        string? parentPaymentId = null,
        decimal? actuallyPaid = null,
        long updatedAt = 1_700_000_000_000)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["actually_paid"] = Number(actuallyPaid ?? (status is "finished" or "confirmed" or "sending" ? 0.0123m : 0m)),
            ["invoice_id"] = Number(4_000_000_001m),
            ["order_description"] = Text("FlashFundX order"),
            ["order_id"] = Text(orderId),
            ["outcome_amount"] = Number(0.0122m),
            ["outcome_currency"] = Text("usdttrc20"),
            ["parent_payment_id"] = parentPaymentId is null ? "null" : Number(decimal.Parse(parentPaymentId, CultureInfo.InvariantCulture)),
            ["pay_address"] = Text("TXYZabc123"),
            ["pay_amount"] = Number(0.0123m),
            ["pay_currency"] = Text("usdttrc20"),
            ["payment_id"] = Number(decimal.Parse(paymentId, CultureInfo.InvariantCulture)),
            ["payment_status"] = Text(status),
            ["price_amount"] = Number(priceAmount),
            ["price_currency"] = Text(priceCurrency),
            ["purchase_id"] = Text("5000000001"),
            ["updated_at"] = Number(updatedAt),
        };
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        return Encoding.UTF8.GetBytes(json);
    }

    /// <summary>The signature NowPayments sends with <paramref name="body"/> for an account whose IPN secret is <paramref name="secret"/>.</summary>
    public static string Sign(byte[] body, string secret) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static HttpRequestMessage Request(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/nowpayments") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.Add("x-nowpayments-sig", signature);
        }
        return request;
    }

    /// <summary>A request signed with the service's IPN secret (<c>FulfillmentService.IpnSecret</c>).</summary>
    public static HttpRequestMessage SignedRequest(byte[] body, string secret) => Request(body, Sign(body, secret));

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
