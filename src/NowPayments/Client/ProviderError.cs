using System.Text.Json;

namespace FlashFundX.NowPayments.Client;

/// <summary>NowPayments' error body: <c>{"status":false,"statusCode":400,"code":"INVALID_REQUEST_PARAMS","message":"…"}</c>.</summary>
internal sealed record ProviderError(string? Code, string? Message)
{
    private const int MaxMessageLength = 500;

    public static ProviderError Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ProviderError(null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return new ProviderError(ReadText(document.RootElement, "code"), ReadText(document.RootElement, "message"));
            }
        }
        catch (JsonException)
        {
            // not JSON (a proxy's HTML page, say): keep a short excerpt as the message
        }

        return new ProviderError(null, Truncate(body.Trim()));
    }

    private static string? ReadText(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => Truncate(value.GetString()),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => Truncate(value.GetRawText()),
            }
            : null;

    private static string? Truncate(string? text) =>
        text is { Length: > MaxMessageLength } ? text[..MaxMessageLength] + "…" : text;
}
