using System.Text.RegularExpressions;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Data.Products;

/// <summary>What a product's terms must satisfy, checked before any write (the admin endpoint and the demo price list alike).</summary>
public static partial class ProductTermsRules
{
    public const decimal MaxPrice = 99_999_999.99m;

    /// <summary>Errors keyed by the body's field names (camelCase, as in the problem details); empty when valid.</summary>
    public static Dictionary<string, string[]> Validate(AccountType accountType, int accountSize, ProductTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (accountSize <= 0)
        {
            errors["accountSize"] = ["accountSize must be a positive whole number."];
        }
        if (terms.Price is <= 0 or > MaxPrice || decimal.Round(terms.Price, 2) != terms.Price)
        {
            errors["price"] = [$"price must be above 0 and at most {MaxPrice}, with at most 2 decimals."];
        }
        if (!CurrencyCode().IsMatch(terms.PriceCurrency ?? ""))
        {
            errors["priceCurrency"] = ["priceCurrency must be a lower-case currency code of 3 to 10 letters, e.g. usd."];
        }
        Percentage(errors, "tradingRules.profitTargetPhase1", terms.ProfitTargetPhase1,
            required: accountType is not AccountType.Instant, allowed: accountType is not AccountType.Instant);
        Percentage(errors, "tradingRules.profitTargetPhase2", terms.ProfitTargetPhase2,
            required: accountType is AccountType.TwoStep, allowed: accountType is AccountType.TwoStep);
        Percentage(errors, "tradingRules.maxDailyDrawdown", terms.MaxDailyDrawdown, required: true, allowed: true);
        Percentage(errors, "tradingRules.maxTotalDrawdown", terms.MaxTotalDrawdown, required: true, allowed: true);
        Percentage(errors, "tradingRules.profitSplit", terms.ProfitSplit, required: true, allowed: true);
        if (terms.MinTradingDays is < 0 or > 365)
        {
            errors["tradingRules.minTradingDays"] = ["minTradingDays must be between 0 and 365."];
        }
        if (!Leverage().IsMatch(terms.Leverage ?? ""))
        {
            errors["tradingRules.leverage"] = ["leverage must look like 1:100 (1: and 1 to 4 digits)."];
        }
        return errors;
    }

    private static void Percentage(Dictionary<string, string[]> errors, string field, decimal? value, bool required, bool allowed)
    {
        var name = field[(field.IndexOf('.', StringComparison.Ordinal) + 1)..];
        if (value is null)
        {
            if (required)
            {
                errors[field] = [$"{name} is required for this account type."];
            }
            return;
        }
        if (!allowed)
        {
            errors[field] = [$"{name} does not apply to this account type; leave it out or null."];
        }
        else if (value is <= 0 or > 100 || decimal.Round(value.Value, 2) != value)
        {
            errors[field] = [$"{name} is a percentage above 0 and at most 100, with at most 2 decimals."];
        }
    }

    [GeneratedRegex("^[a-z]{3,10}$")]
    private static partial Regex CurrencyCode();

    [GeneratedRegex("^1:[0-9]{1,4}$")]
    private static partial Regex Leverage();
}
