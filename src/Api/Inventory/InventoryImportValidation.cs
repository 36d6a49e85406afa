using System.Globalization;
using FlashFundX.Data.Inventory;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Inventory;

/// <summary>Checks every account of an import and names each bad field (<c>accounts[3].platform</c>); all or nothing.</summary>
internal static class InventoryImportValidation
{
    public const int MaxAccounts = 10_000;
    public const int MaxLoginLength = 64;
    public const int MaxServerLength = 128;
    private const int MaxPasswordLength = 256;

    public static (IReadOnlyList<InventoryAccount> Accounts, Dictionary<string, string[]> Errors) Validate(
        ImportInventoryRequest request, IReadOnlySet<int> offeredSizes)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var accounts = new List<InventoryAccount>();
        if (request.Accounts is not { Count: > 0 } inputs)
        {
            errors["accounts"] = ["accounts must list at least one account."];
            return (accounts, errors);
        }
        if (inputs.Count > MaxAccounts)
        {
            errors["accounts"] = [$"At most {MaxAccounts} accounts per import."];
            return (accounts, errors);
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            var prefix = $"accounts[{i}]";
            var input = inputs[i];
            if (input is null)
            {
                errors[prefix] = ["The account is null."];
                continue;
            }
            var before = errors.Count;
            Text(errors, $"{prefix}.login", input.Login, MaxLoginLength, trim: true);
            Text(errors, $"{prefix}.server", input.Server, MaxServerLength, trim: true);
            Text(errors, $"{prefix}.password", input.Password, MaxPasswordLength, trim: false);
            Text(errors, $"{prefix}.investorPassword", input.InvestorPassword, MaxPasswordLength, trim: false);

            if (!WireName.TryParse<TradingPlatform>(input.Platform, out var platform))
            {
                errors[$"{prefix}.platform"] = [$"platform must be one of {string.Join(", ", WireName.All<TradingPlatform>())}."];
            }
            if (input.AccountSize is not { } size || size <= 0)
            {
                errors[$"{prefix}.accountSize"] = ["accountSize must be a positive number of dollars."];
            }
            else if (!offeredSizes.Contains(size))
            {
                errors[$"{prefix}.accountSize"] =
                    [$"accountSize must be an offered size: {string.Join(", ", offeredSizes.Order().Select(s => s.ToString(CultureInfo.InvariantCulture)))}."];
            }

            if (errors.Count == before)
            {
                accounts.Add(new InventoryAccount(
                    input.Login!.Trim(), input.Password!, input.InvestorPassword!, input.Server!.Trim(), platform, input.AccountSize!.Value));
            }
        }
        return (accounts, errors);
    }

    /// <summary>Adds an error for <paramref name="field"/> when the value is missing, too long or holds a NUL.</summary>
    public static void Text(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool trim)
    {
        var checkedValue = trim ? value?.Trim() : value;
        if (string.IsNullOrEmpty(checkedValue))
        {
            errors[field] = [$"{field} is required."];
        }
        else if (checkedValue.Length > maxLength)
        {
            errors[field] = [$"{field} must be at most {maxLength} characters."];
        }
        else if (checkedValue.Contains('\0', StringComparison.Ordinal))
        {
            errors[field] = [$"{field} must not contain a NUL character."]; // PostgreSQL text cannot hold one
        }
    }
}
