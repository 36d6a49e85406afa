using System.Text.RegularExpressions;

namespace FlashFundX.Workflows.Domain;

/// <summary>Order ids look like <c>FFX123456789</c>; PostgreSQL generates them, this only recognises them.</summary>
public static partial class OrderIds
{
    public static bool IsValid(string? orderId) => orderId is not null && Pattern().IsMatch(orderId);

    public static string WorkflowId(string orderId) => $"order-{orderId}";

    // \z, not $: $ would also accept a trailing newline.
    [GeneratedRegex(@"^FFX[0-9]{9}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
