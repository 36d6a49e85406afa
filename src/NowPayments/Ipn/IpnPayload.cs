using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;
using FlashFundX.NowPayments.Json;

namespace FlashFundX.NowPayments.Ipn;

/// <summary>
/// The fields of a NowPayments IPN body that we act on. Ids are strings whether sent as numbers or strings; amounts
/// are exact decimals. <see cref="BodyHash"/> is the SHA-256 of the raw body, <see cref="CanonicalHash"/> that of the form
/// NowPayments signs (the dedupe key: the same IPN re-sent with other whitespace or key order is the same report).
/// </summary>
public sealed record IpnPayload
{
    public string? PaymentId { get; init; }

    public required string PaymentStatus { get; init; }

    public required string OrderId { get; init; }

    public string? OrderDescription { get; init; }

    public decimal? PriceAmount { get; init; }

    public string? PriceCurrency { get; init; }

    public decimal? PayAmount { get; init; }

    public decimal? ActuallyPaid { get; init; }

    public string? PayCurrency { get; init; }

    public string? InvoiceId { get; init; }

    /// <summary>Set when this payment is a repeat deposit on an invoice that already has a payment.</summary>
    public string? ParentPaymentId { get; init; }

    public string? PurchaseId { get; init; }

    public decimal? OutcomeAmount { get; init; }

    public string? OutcomeCurrency { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public required string BodyHash { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the canonical form the signature covers (<see cref="IpnSignature"/>).</summary>
    public required string CanonicalHash { get; init; }

    public bool IsRepeatDeposit => !string.IsNullOrEmpty(ParentPaymentId);

    /// <summary>
    /// Parses an IPN body. False with a short reason for bytes that are not UTF-8, an escaped lone surrogate, non-JSON,
    /// a non-object, a missing <c>order_id</c> or <c>payment_status</c>, unreadable fields, or a NUL character in any key
    /// or string (PostgreSQL text cannot hold one): then <paramref name="payload"/> is still given, each NUL replaced by
    /// U+FFFD, to record what arrived.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out IpnPayload? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
        // The JSON reader lets invalid UTF-8 or an escaped lone surrogate inside a string or key pass, and throws only
        // when that text is read.
        if (!Utf8.IsValid(body))
        {
            error = "The body is not valid UTF-8.";
            return false;
        }
        if (HasLoneSurrogate(body))
        {
            error = "The body escapes a lone surrogate (such as \\ud800), which is not text.";
            return false;
        }
        IpnBody? parsed;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The body is not a JSON object.";
                return false;
            }

            reader = new Utf8JsonReader(body);
            parsed = JsonSerializer.Deserialize<IpnBody>(ref reader, NowPaymentsJson.Options);
            if (reader.Read())
            {
                error = "The body has content after the JSON object.";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = ex.Path is { Length: > 1 } path ? $"The body is not a readable IPN (at {path})." : "The body is not valid JSON.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(parsed?.OrderId))
        {
            error = "order_id is missing.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(parsed.PaymentStatus))
        {
            error = "payment_status is missing.";
            return false;
        }

        payload = new IpnPayload
        {
            PaymentId = WithoutNul(parsed.PaymentId),
            PaymentStatus = WithoutNul(parsed.PaymentStatus.Trim().ToLowerInvariant()),
            OrderId = WithoutNul(parsed.OrderId.Trim()),
            OrderDescription = WithoutNul(parsed.OrderDescription),
            PriceAmount = parsed.PriceAmount,
            PriceCurrency = WithoutNul(parsed.PriceCurrency),
            PayAmount = parsed.PayAmount,
            ActuallyPaid = parsed.ActuallyPaid,
            PayCurrency = WithoutNul(parsed.PayCurrency),
            InvoiceId = WithoutNul(parsed.InvoiceId),
            ParentPaymentId = WithoutNul(parsed.ParentPaymentId),
            PurchaseId = WithoutNul(parsed.PurchaseId),
            OutcomeAmount = parsed.OutcomeAmount,
            OutcomeCurrency = WithoutNul(parsed.OutcomeCurrency),
            UpdatedAt = parsed.UpdatedAt,
            BodyHash = ComputeBodyHash(body),
            CanonicalHash = IpnCanonicalJson.TryCanonicalize(body, out var canonical) ? ComputeBodyHash(canonical) : ComputeBodyHash(body),
        };
        if (FieldWithNul(body) is { } field)
        {
            error = $"{field} holds a NUL character.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>SHA-256 of the raw body bytes, lowercase hex.</summary>
    public static string ComputeBodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>
    /// The name of the first field (a key, or the key of a string value) of well-formed JSON <paramref name="body"/>
    /// holding a NUL character, NULs replaced and cut to 64 characters; null when there is none. Only escaped strings
    /// can hold one: JSON refuses a raw control character.
    /// </summary>
    private static string? FieldWithNul(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        string? key = null;
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
            {
                continue;
            }

            var text = reader.GetString()!;
            if (reader.ValueIsEscaped && text.Contains('\0', StringComparison.Ordinal))
            {
                var name = reader.TokenType == JsonTokenType.PropertyName ? "a key" : key ?? "a string";
                name = WithoutNul(name);
                return name.Length > 64 ? name[..64] : name;
            }

            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                key = text;
            }
        }

        return null;
    }

    /// <summary>True when a key or string of <paramref name="body"/> (valid UTF-8) escapes half a surrogate pair alone.</summary>
    private static bool HasLoneSurrogate(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (JsonException)
        {
            return false; // not JSON: the parse says so
        }
        return false;
    }

    [return: NotNullIfNotNull(nameof(value))]
    private static string? WithoutNul(string? value) => value?.Replace('\0', '\uFFFD');

    private sealed record IpnBody(
        string? PaymentId,
        string? PaymentStatus,
        string? OrderId,
        string? OrderDescription,
        decimal? PriceAmount,
        string? PriceCurrency,
        decimal? PayAmount,
        decimal? ActuallyPaid,
        string? PayCurrency,
        string? InvoiceId,
        string? ParentPaymentId,
        string? PurchaseId,
        decimal? OutcomeAmount,
        string? OutcomeCurrency,
        DateTimeOffset? UpdatedAt);
}
