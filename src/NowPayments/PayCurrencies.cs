using System.Diagnostics.CodeAnalysis;

namespace FlashFundX.NowPayments;

/// <summary>Maps FlashFundX currency codes to NowPayments <c>pay_currency</c> tickers.</summary>
public static class PayCurrencies
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["usdt_bsc"] = "usdtbsc",
        ["usdt_polygon"] = "usdtmatic",
        ["usdt_trc20"] = "usdttrc20",
        ["bnb"] = "bnbbsc",
        ["btc"] = "btc",
        ["trx"] = "trx",
    };

    private static readonly HashSet<string> Tickers = new(Map.Values, StringComparer.OrdinalIgnoreCase);

    /// <summary>Maps our code (e.g. <c>usdt_bsc</c>) to the NowPayments ticker (<c>usdtbsc</c>); false for unknown codes.</summary>
    public static bool TryMap(string? ourCode, [NotNullWhen(true)] out string? payCurrency)
    {
        if (ourCode is not null && Map.TryGetValue(ourCode.Trim(), out var mapped))
        {
            payCurrency = mapped;
            return true;
        }

        payCurrency = null;
        return false;
    }

    /// <summary>True when <paramref name="ticker"/> is one of the NowPayments tickers we support (<c>usdtbsc</c>, …).</summary>
    public static bool IsSupportedTicker(string? ticker) => ticker is not null && Tickers.Contains(ticker.Trim());
}
