using System.Net;

namespace FlashFundX.NowPayments.Client;

/// <summary>
/// A NowPayments call failed. <see cref="IsRetryable"/> is true for 5xx, 408, 429, timeouts and network errors
/// (the caller's retry policy does the backoff) and false for other 4xx, where <see cref="Exception.Message"/>
/// carries the provider's own message. Never contains the API key.
/// </summary>
public sealed class NowPaymentsException : Exception
{
    /// <summary>The Temporal <c>ApplicationFailureException</c> error type for non-retryable failures.</summary>
    public const string RejectedErrorType = "NowPaymentsRejected";

    public NowPaymentsException(
        string message,
        HttpStatusCode? statusCode,
        bool isRetryable,
        string? providerCode = null,
        string? providerMessage = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsRetryable = isRetryable;
        ProviderCode = providerCode;
        ProviderMessage = providerMessage;
    }

    /// <summary>The HTTP status; null when no response arrived (timeout, network error) or the request was refused locally.</summary>
    public HttpStatusCode? StatusCode { get; }

    public bool IsRetryable { get; }

    /// <summary>NowPayments' <c>code</c>, e.g. <c>INVALID_API_KEY</c>.</summary>
    public string? ProviderCode { get; }

    /// <summary>NowPayments' <c>message</c>, with any secret removed.</summary>
    public string? ProviderMessage { get; }

    public static bool IsRetryableStatus(HttpStatusCode statusCode) =>
        (int)statusCode >= 500 || statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
