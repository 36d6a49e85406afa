namespace FlashFundX.NowPayments.Tests;

public sealed class PayCurrenciesTests
{
    [Theory]
    [InlineData("usdt_bsc", "usdtbsc")]
    [InlineData("usdt_polygon", "usdtmatic")]
    [InlineData("usdt_trc20", "usdttrc20")]
    [InlineData("bnb", "bnbbsc")]
    [InlineData("btc", "btc")]
    [InlineData("trx", "trx")]
    public void TryMap_KnownCode_ReturnsTicker(string code, string ticker)
    {
        var ok = PayCurrencies.TryMap(code, out var mapped);

        Assert.True(ok);
        Assert.Equal(ticker, mapped);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("eth")]
    [InlineData("usdtbsc")]
    public void TryMap_UnknownCode_ReturnsFalse(string? code)
    {
        Assert.False(PayCurrencies.TryMap(code, out var mapped));
        Assert.Null(mapped);
    }
}
