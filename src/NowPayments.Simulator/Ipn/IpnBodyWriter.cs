using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using FlashFundX.NowPayments.Simulator.State;

namespace FlashFundX.NowPayments.Simulator.Ipn;

/// <summary>
/// Writes an IPN body the way NowPayments lays it out (keys not sorted, a nested <c>fee</c> object, ids as numbers),
/// so receivers exercise the full canonicalisation. Call under the state lock.
/// </summary>
internal static class IpnBodyWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(PaymentState payment, string status)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("payment_id", payment.Id);
            if (payment.ParentPaymentId is { } parent)
            {
                json.WriteNumber("parent_payment_id", parent);
            }
            else
            {
                json.WriteNull("parent_payment_id");
            }

            json.WriteNumber("invoice_id", payment.Invoice.Id);
            json.WriteString("payment_status", status);
            json.WriteString("pay_address", payment.PayAddress);
            json.WriteNull("payin_extra_id");
            json.WriteNumber("price_amount", payment.PriceAmount);
            json.WriteString("price_currency", payment.PriceCurrency);
            json.WriteNumber("pay_amount", payment.PayAmount);
            json.WriteNumber("actually_paid", payment.ActuallyPaid);
            json.WriteNumber("actually_paid_at_fiat", 0);
            json.WriteString("pay_currency", payment.PayCurrency);
            json.WriteString("order_id", payment.Invoice.OrderId);
            WriteStringOrNull(json, "order_description", payment.Invoice.OrderDescription);
            json.WriteString("purchase_id", payment.PurchaseId);
            json.WriteNumber("outcome_amount", decimal.Round(payment.ActuallyPaid * 0.995m, 8));
            json.WriteString("outcome_currency", payment.PayCurrency);
            json.WriteNull("payment_extra_ids");
            json.WriteStartObject("fee");
            json.WriteString("currency", payment.PayCurrency);
            json.WriteNumber("depositFee", 0);
            json.WriteNumber("withdrawalFee", 0);
            json.WriteNumber("serviceFee", decimal.Round(payment.ActuallyPaid * 0.005m, 8));
            json.WriteEndObject();
            json.WriteNumber("updated_at", payment.UpdatedAt.ToUnixTimeMilliseconds());
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
