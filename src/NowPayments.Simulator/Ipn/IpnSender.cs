using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using FlashFundX.NowPayments.Ipn;
using Microsoft.Extensions.Logging;

namespace FlashFundX.NowPayments.Simulator.Ipn;

/// <summary>POSTs signed IPNs to an invoice's <c>ipn_callback_url</c>, one at a time, and records each answer.</summary>
internal sealed partial class IpnSender(HttpClient http, string ipnSecret, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    public async Task<IpnDeliveryResult> SendAsync(string paymentId, string status, string? callbackUrl, byte[] body, CancellationToken cancellationToken)
    {
        var signature = IpnSignature.Compute(body, ipnSecret);
        var bodyText = Encoding.UTF8.GetString(body);
        var sentAt = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();

        if (string.IsNullOrEmpty(callbackUrl) || !Uri.TryCreate(callbackUrl, UriKind.Absolute, out var target))
        {
            return new IpnDeliveryResult(paymentId, status, callbackUrl ?? "", bodyText, signature, null, "The invoice has no valid ipn_callback_url.", TimeSpan.Zero, sentAt);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            request.Headers.TryAddWithoutValidation(IpnSignature.HeaderName, signature);
            using var response = await http.SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogDelivered(paymentId, status, (int)response.StatusCode, elapsed.TotalMilliseconds);
            return new IpnDeliveryResult(paymentId, status, callbackUrl, bodyText, signature, (int)response.StatusCode, null, elapsed, sentAt);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException ? "timed out" : ex.Message;
            LogFailed(paymentId, status, reason);
            return new IpnDeliveryResult(paymentId, status, callbackUrl, bodyText, signature, null, reason, Stopwatch.GetElapsedTime(started), sentAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator IPN {PaymentStatus} for payment {PaymentId} answered {StatusCode} in {ElapsedMs:0} ms")]
    private partial void LogDelivered(string paymentId, string paymentStatus, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator IPN {PaymentStatus} for payment {PaymentId} failed: {Reason}")]
    private partial void LogFailed(string paymentId, string paymentStatus, string reason);
}
