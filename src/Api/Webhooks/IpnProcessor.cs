using System.Text;
using FlashFundX.NowPayments;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.NowPayments.Ipn;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FlashFundX.Api.Webhooks;

/// <summary>
/// Handles one NowPayments IPN: size limit, signature, shape, dedupe, then hands it to the <see cref="IpnDispatcher"/>,
/// which signals the order's existing workflow. Every request leaves one webhook_events row, and a valid new report is
/// acknowledged once that row is committed (refused and duplicate ones within a per-minute budget, see <see cref="RejectedIpnBudget"/>). Nothing is signalled unless the signature is valid and the event is new.
/// </summary>
public sealed partial class IpnProcessor(
    WebhookEventStore events,
    IpnDispatcher dispatcher,
    RejectedIpnBudget rejectedBudget,
    IOptions<NowPaymentsOptions> nowPayments,
    FulfillmentMetrics metrics,
    ILogger<IpnProcessor> logger)
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// How much of a body without a valid signature is kept. Anyone can send those, as often as they like: the row and
    /// a prefix (with the whole body's hash) explain the request without letting a caller fill the database.
    /// </summary>
    public const int MaxUnsignedBodyChars = 2048;

    public async Task<IResult> ProcessAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            await RecordRefusedAsync(new WebhookEvent(
                WebhookOutcomes.TooLarge, StatusCodes.Status413PayloadTooLarge, SignatureValid: false,
                Detail: $"body over {MaxBodyBytes} bytes (Content-Length {request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not given"})"),
                cancellationToken);
            LogRejected(logger, WebhookOutcomes.TooLarge, null);
            metrics.WebhookRejected(WebhookOutcomes.TooLarge);
            return Problem(StatusCodes.Status413PayloadTooLarge, "IPN too large", $"IPN bodies are limited to {MaxBodyBytes / 1024} KiB.");
        }

        var signatureValid = IpnSignature.Verify(body, request.Headers[IpnSignature.HeaderName].ToString(), nowPayments.Value.IpnSecret);
        var bodyText = StoredText(body, signatureValid);
        var bodyHash = IpnPayload.ComputeBodyHash(body);

        if (!IpnPayload.TryParse(body, out var payload, out var error) || string.IsNullOrWhiteSpace(payload.PaymentId))
        {
            error ??= "payment_id is missing.";
            await RecordRefusedAsync(new WebhookEvent(
                WebhookOutcomes.Malformed, StatusCodes.Status400BadRequest, signatureValid,
                OrderId: Truncate(payload?.OrderId), PaymentId: Truncate(payload?.PaymentId), PaymentStatus: Truncate(payload?.PaymentStatus),
                BodySha256: bodyHash, Body: bodyText, Detail: error), cancellationToken);
            LogRejected(logger, WebhookOutcomes.Malformed, UntrustedText.ForLog(payload?.OrderId));
            metrics.WebhookRejected(WebhookOutcomes.Malformed);
            return Problem(StatusCodes.Status400BadRequest, "Malformed IPN", error);
        }

        if (!signatureValid)
        {
            await RecordRefusedAsync(new WebhookEvent(
                WebhookOutcomes.InvalidSignature, StatusCodes.Status401Unauthorized, SignatureValid: false,
                OrderId: Truncate(payload.OrderId), PaymentId: Truncate(payload.PaymentId), PaymentStatus: Truncate(payload.PaymentStatus),
                BodySha256: bodyHash, Body: bodyText, Detail: "missing or invalid x-nowpayments-sig"), cancellationToken);
            LogRejected(logger, WebhookOutcomes.InvalidSignature, UntrustedText.ForLog(payload.OrderId));
            metrics.WebhookRejected(WebhookOutcomes.InvalidSignature);
            return Problem(StatusCodes.Status401Unauthorized, "Invalid IPN signature", "The x-nowpayments-sig header does not match the body.");
        }

        // The key is the signed content, not the bytes: a re-send with other whitespace or key order is a duplicate.
        var claimed = await events.ClaimAsync(new WebhookEvent(
            WebhookOutcomes.Accepted, StatusCodes.Status200OK, SignatureValid: true,
            OrderId: Truncate(payload.OrderId), PaymentId: Truncate(payload.PaymentId), PaymentStatus: Truncate(payload.PaymentStatus),
            DedupeKey: payload.CanonicalHash, BodySha256: bodyHash, Body: bodyText), cancellationToken);

        if (claimed is null)
        {
            await RecordRefusedAsync(new WebhookEvent(
                WebhookOutcomes.Duplicate, StatusCodes.Status200OK, SignatureValid: true,
                OrderId: Truncate(payload.OrderId), PaymentId: Truncate(payload.PaymentId), PaymentStatus: Truncate(payload.PaymentStatus),
                BodySha256: bodyHash, Detail: "already received"), cancellationToken);
            metrics.WebhookRejected(WebhookOutcomes.Duplicate);
            LogDuplicate(logger, payload);
            return TypedResults.Ok(new IpnReceipt(WebhookOutcomes.Duplicate));
        }
        if (claimed.Outcome == WebhookOutcomes.Orphaned)
        {
            LogOrphaned(logger, payload, "unknown order");
            metrics.WebhookRejected("unknown_order");
            return TypedResults.Ok(new IpnReceipt(WebhookOutcomes.Orphaned));
        }

        // Stored is acknowledged: the dispatcher signals the workflow next (and its sweep, should this process stop first).
        dispatcher.Enqueue(new PendingIpn(claimed.Id, payload.OrderId, IpnUpdates.From(payload)));
        metrics.WebhookAccepted();
        LogAccepted(logger, payload);
        return TypedResults.Ok(new IpnReceipt(WebhookOutcomes.Accepted));
    }

    /// <summary>A refused or duplicate IPN's row, within <see cref="RejectedIpnBudget"/>; past it only counted.</summary>
    private async Task RecordRefusedAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        if (rejectedBudget.TryTake())
        {
            await events.RecordAsync(webhookEvent, cancellationToken);
        }
        else
        {
            metrics.WebhookUnrecorded(webhookEvent.Outcome);
        }
    }

    /// <summary>The body, or null when it is over <see cref="MaxBodyBytes"/> (declared or actual).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>PostgreSQL text holds no NUL and only valid UTF-8; unsigned bodies are cut to <see cref="MaxUnsignedBodyChars"/>.</summary>
    private static string StoredText(byte[] body, bool signatureValid)
    {
        var text = Encoding.UTF8.GetString(body).Replace('\0', '\uFFFD');
        return signatureValid || text.Length <= MaxUnsignedBodyChars ? text : text[..MaxUnsignedBodyChars];
    }

    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] : value;

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    // The IPN's own values in log properties go through UntrustedText: signed or not, their length is the sender's choice.
    private static void LogAccepted(ILogger logger, IpnPayload ipn) =>
        LogAccepted(logger, UntrustedText.ForLog(ipn.OrderId), UntrustedText.ForLog(OrderIds.WorkflowId(ipn.OrderId)),
            UntrustedText.ForLog(ipn.PaymentId), UntrustedText.ForLog(ipn.PaymentStatus));

    private static void LogDuplicate(ILogger logger, IpnPayload ipn) =>
        LogDuplicate(logger, UntrustedText.ForLog(ipn.OrderId), UntrustedText.ForLog(OrderIds.WorkflowId(ipn.OrderId)),
            UntrustedText.ForLog(ipn.PaymentId), UntrustedText.ForLog(ipn.PaymentStatus));

    private static void LogOrphaned(ILogger logger, IpnPayload ipn, string reason) =>
        LogOrphaned(logger, UntrustedText.ForLog(ipn.OrderId), UntrustedText.ForLog(OrderIds.WorkflowId(ipn.OrderId)),
            UntrustedText.ForLog(ipn.PaymentId), reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPN {PaymentStatus} for payment {PaymentId} of order {OrderId} (workflow {WorkflowId}) stored; dispatching")]
    private static partial void LogAccepted(ILogger logger, string orderId, string workflowId, string paymentId, string paymentStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate IPN {PaymentStatus} for payment {PaymentId} of order {OrderId} (workflow {WorkflowId}) ignored")]
    private static partial void LogDuplicate(ILogger logger, string orderId, string workflowId, string paymentId, string paymentStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orphaned IPN for payment {PaymentId} of order {OrderId} (workflow {WorkflowId}): {Reason}")]
    private static partial void LogOrphaned(ILogger logger, string orderId, string workflowId, string paymentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected IPN ({Outcome}) for order {OrderId}")]
    private static partial void LogRejected(ILogger logger, string outcome, string? orderId);


}
