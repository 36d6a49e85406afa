using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;

namespace FlashFundX.Workflows.Tests.Orders;

public sealed class OrderSummaryTests
{
    private static OrderFulfillmentInput Input(AccountType type, int size, TradingPlatform platform, decimal price, string currency = "usd") =>
        new("FFX123456789", Guid.Empty, type, size, platform, price, currency, "usdt_bsc", new FulfillmentSettings());

    [Fact]
    public void For_TwoStep10kMt5_ReadsLikeTheUi()
    {
        var summary = OrderSummary.For(Input(AccountType.TwoStep, 10_000, TradingPlatform.Mt5, 99m));

        Assert.Equal("FFX123456789 · two_step 10k MT5 · $99", summary);
    }

    [Fact]
    public void For_CentsAndOtherCurrency_ShowsBoth()
    {
        var summary = OrderSummary.For(Input(AccountType.OneStep, 200_000, TradingPlatform.Mt4, 1099.5m, "eur"));

        Assert.Equal("FFX123456789 · one_step 200k MT4 · 1099.50 EUR", summary);
    }

    [Theory]
    [InlineData(5_000, "5k")]
    [InlineData(2_500, "2.5k")]
    [InlineData(100_000, "100k")]
    [InlineData(750, "750")]
    [InlineData(10_050, "10050")]
    public void Size_AccountSize_ReadsAsTradersSayIt(int size, string expected)
    {
        var text = OrderSummary.Size(size);

        Assert.Equal(expected, text);
    }
}
