using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using FlashFundX.NowPayments.Json;

namespace FlashFundX.NowPayments.Ipn;

/// <summary>
/// The fields of a NowPayments IPN body that we act on. Ids are strings whether sent as numbers or strings; amounts
/// are exact decimals. <see cref="BodyHash"/> (SHA-256 of the raw body, lowercase hex) is part of the dedupe key.
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

    public bool IsRepeatDeposit => !string.IsNullOrEmpty(ParentPaymentId);

    /// <summary>Parses an IPN body. False with a short reason for non-JSON, a non-object, a missing <c>order_id</c> or <c>payment_status</c>, or unreadable fields.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out IpnPayload? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
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
            PaymentId = parsed.PaymentId,
            PaymentStatus = parsed.PaymentStatus.Trim().ToLowerInvariant(),
            OrderId = parsed.OrderId.Trim(),
            OrderDescription = parsed.OrderDescription,
            PriceAmount = parsed.PriceAmount,
            PriceCurrency = parsed.PriceCurrency,
            PayAmount = parsed.PayAmount,
            ActuallyPaid = parsed.ActuallyPaid,
            PayCurrency = parsed.PayCurrency,
            InvoiceId = parsed.InvoiceId,
            ParentPaymentId = parsed.ParentPaymentId,
            PurchaseId = parsed.PurchaseId,
            OutcomeAmount = parsed.OutcomeAmount,
            OutcomeCurrency = parsed.OutcomeCurrency,
            UpdatedAt = parsed.UpdatedAt,
            BodyHash = ComputeBodyHash(body),
        };
        error = null;
        return true;
    }

    /// <summary>SHA-256 of the raw body bytes, lowercase hex.</summary>
    public static string ComputeBodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

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
