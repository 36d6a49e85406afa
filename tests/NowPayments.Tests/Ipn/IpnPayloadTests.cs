using System.Security.Cryptography;
using System.Text;
using FlashFundX.NowPayments.Ipn;

namespace FlashFundX.NowPayments.Tests.Ipn;

public sealed class IpnPayloadTests
{
    [Fact]
    public void TryParse_RealisticBodyWithNumericIds_ReadsFieldsExactly()
    {
        var body = """
            {"payment_id":5077125051,"parent_payment_id":null,"invoice_id":4522625843,"payment_status":"Finished",
             "pay_address":"TX1","price_amount":10.50,"price_currency":"usd","pay_amount":10.5,"actually_paid":"10.500000",
             "pay_currency":"usdttrc20","order_id":"FFX123456789","order_description":"50k challenge","purchase_id":"5837122679",
             "outcome_amount":10.44,"outcome_currency":"usdttrc20","fee":{"currency":"usdttrc20","depositFee":0,"serviceFee":0.05},
             "updated_at":1695899440000}
            """u8;

        var ok = IpnPayload.TryParse(body, out var payload, out var error);

        Assert.True(ok, error);
        Assert.Equal("5077125051", payload!.PaymentId);
        Assert.Equal("finished", payload.PaymentStatus);
        Assert.Equal("FFX123456789", payload.OrderId);
        Assert.Equal("4522625843", payload.InvoiceId);
        Assert.Null(payload.ParentPaymentId);
        Assert.False(payload.IsRepeatDeposit);
        Assert.Equal("10.50", payload.PriceAmount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(10.5m, payload.ActuallyPaid);
        Assert.Equal("usd", payload.PriceCurrency);
        Assert.Equal(10.44m, payload.OutcomeAmount);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1695899440000), payload.UpdatedAt);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), payload.BodyHash);
    }

    [Fact]
    public void TryParse_IdsAsStringsAndRepeatDeposit_ReadsThem()
    {
        var ok = IpnPayload.TryParse(
            """{"payment_id":"77","parent_payment_id":"76","payment_status":"waiting","order_id":"FFX1","price_amount":"1e-7"}"""u8,
            out var payload,
            out _);

        Assert.True(ok);
        Assert.Equal("77", payload!.PaymentId);
        Assert.Equal("76", payload.ParentPaymentId);
        Assert.True(payload.IsRepeatDeposit);
        Assert.Equal(0.0000001m, payload.PriceAmount);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"payment_status":"finished"}""", "order_id")]
    [InlineData("""{"order_id":"FFX1"}""", "payment_status")]
    [InlineData("""{"order_id":"FFX1","payment_status":""}""", "payment_status")]
    [InlineData("""{"order_id":"FFX1","payment_status":"finished","price_amount":"abc"}""", "price_amount")]
    public void TryParse_BadBody_ReturnsFalseWithReason(string body, string reasonContains)
    {
        var ok = IpnPayload.TryParse(Encoding.UTF8.GetBytes(body), out var payload, out var error);

        Assert.False(ok);
        Assert.Null(payload);
        Assert.Contains(reasonContains, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeBodyHash_DifferentBytes_DifferentHash()
    {
        Assert.NotEqual(IpnPayload.ComputeBodyHash("""{"a":1}"""u8), IpnPayload.ComputeBodyHash("""{"a": 1}"""u8));
        Assert.Equal(64, IpnPayload.ComputeBodyHash("{}"u8).Length);
    }
}
