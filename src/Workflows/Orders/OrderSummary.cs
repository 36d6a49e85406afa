using System.Globalization;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Orders;

/// <summary>The one-line description of an order shown as the run's summary in the Temporal UI.</summary>
public static class OrderSummary
{
    /// <summary>For example <c>FFX123456789 · two_step 10k MT5 · $99</c>.</summary>
    public static string For(OrderFulfillmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return $"{input.OrderId} · {WireName.Of(input.AccountType)} {Size(input.AccountSize)} {WireName.Of(input.Platform).ToUpperInvariant()} · {Price(input.PriceAmount, input.PriceCurrency)}";
    }

    /// <summary>Account sizes read as traders say them: 5000 → <c>5k</c>, 2500 → <c>2.5k</c>.</summary>
    public static string Size(int accountSize) =>
        accountSize >= 1000 && accountSize % 100 == 0
            ? (accountSize / 1000m).ToString("0.#", CultureInfo.InvariantCulture) + "k"
            : accountSize.ToString(CultureInfo.InvariantCulture);

    public static string Price(decimal amount, string currency)
    {
        var number = amount == decimal.Truncate(amount)
            ? amount.ToString("0", CultureInfo.InvariantCulture)
            : amount.ToString("0.00", CultureInfo.InvariantCulture);
        return string.Equals(currency, "usd", StringComparison.OrdinalIgnoreCase)
            ? "$" + number
            : $"{number} {currency.ToUpperInvariant()}";
    }
}
