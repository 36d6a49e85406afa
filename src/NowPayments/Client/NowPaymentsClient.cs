using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.NowPayments.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashFundX.NowPayments.Client;

/// <summary>Typed <see cref="HttpClient"/> for NowPayments; register with <c>services.AddNowPaymentsClient()</c>.</summary>
public sealed partial class NowPaymentsClient : INowPaymentsClient
{
    internal const string ApiKeyHeader = "x-api-key";
    internal const string AuthorizationHeader = "Authorization";

    private const int PaymentsPageSize = 100;
    private const int MaxPaymentPages = 20;

    private readonly HttpClient _http;
    private readonly NowPaymentsOptions _options;
    private readonly NowPaymentsAccessToken _token;
    private readonly ILogger<NowPaymentsClient> _logger;

    public NowPaymentsClient(HttpClient http, IOptions<NowPaymentsOptions> options, NowPaymentsAccessToken token, ILogger<NowPaymentsClient> logger)
    {
        _http = http;
        _options = options.Value;
        _token = token;
        _logger = logger;
    }

    public async Task<Invoice> CreateInvoiceAsync(InvoiceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new InvoiceRequestBody(
            request.PriceAmount,
            request.PriceCurrency,
            ResolvePayCurrency(request.PayCurrency),
            request.OrderId,
            request.OrderDescription,
            request.IpnCallbackUrl ?? _options.IpnCallbackUrl,
            ForOrder(request.SuccessUrl ?? _options.SuccessUrl, request.OrderId),
            ForOrder(request.CancelUrl ?? _options.CancelUrl, request.OrderId));

        var invoice = await SendAsync<Invoice>(
            "CreateInvoice",
            () => new HttpRequestMessage(HttpMethod.Post, Endpoint("invoice"))
            {
                Content = JsonContent.Create(body, options: NowPaymentsJson.Options),
            },
            cancellationToken).ConfigureAwait(false);

        if (string.IsNullOrEmpty(invoice.Id) || string.IsNullOrEmpty(invoice.InvoiceUrl))
        {
            throw new NowPaymentsException("NowPayments answered the invoice request without an id or invoice_url.", HttpStatusCode.OK, isRetryable: true);
        }

        LogInvoiceCreated(invoice.Id, request.OrderId);
        return invoice;
    }

    public async Task<PaymentStatusReport> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentId);
        var report = await SendAsync<PaymentStatusReport>(
            "GetPayment",
            () => new HttpRequestMessage(HttpMethod.Get, Endpoint("payment/" + Uri.EscapeDataString(paymentId.Trim()))),
            cancellationToken).ConfigureAwait(false);

        if (string.IsNullOrEmpty(report.PaymentId) || string.IsNullOrEmpty(report.PaymentStatus))
        {
            throw new NowPaymentsException("NowPayments answered the payment request without payment_id or payment_status.", HttpStatusCode.OK, isRetryable: true);
        }

        return report;
    }

    public bool CanListInvoicePayments => _options.HasAccountLogin;

    public async Task<IReadOnlyList<PaymentStatusReport>> ListInvoicePaymentsAsync(string invoiceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        if (!_options.HasAccountLogin)
        {
            throw new NowPaymentsException(
                $"Listing an invoice's payments needs {NowPaymentsOptions.SectionName}:Email and {NowPaymentsOptions.SectionName}:Password.",
                statusCode: null, isRetryable: false);
        }

        var invoice = invoiceId.Trim();
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ListPagesAsync(invoice, token, cancellationToken).ConfigureAwait(false);
        }
        catch (NowPaymentsException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // Revoked or expired early: one fresh login, then the provider's answer stands.
            _token.Reject(token);
            token = await TokenAsync(cancellationToken).ConfigureAwait(false);
            return await ListPagesAsync(invoice, token, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CheckLoginAsync(CancellationToken cancellationToken = default)
    {
        if (_options.HasAccountLogin)
        {
            await TokenAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ApiStatus>("GetStatus", () => new HttpRequestMessage(HttpMethod.Get, Endpoint("status")), cancellationToken);

    private async Task<IReadOnlyList<PaymentStatusReport>> ListPagesAsync(string invoiceId, string token, CancellationToken cancellationToken)
    {
        var payments = new List<PaymentStatusReport>();
        for (var page = 0; page < MaxPaymentPages; page++)
        {
            var query = $"payment/?invoiceId={Uri.EscapeDataString(invoiceId)}&limit={PaymentsPageSize}&page={page}&sortBy=created_at&orderBy=asc";
            var answer = await SendAsync<PaymentListPage>(
                "ListPayments", () => new HttpRequestMessage(HttpMethod.Get, Endpoint(query)), cancellationToken, token).ConfigureAwait(false);
            var data = answer.Data ?? [];
            if (data.Any(p => string.IsNullOrEmpty(p.PaymentId) || string.IsNullOrEmpty(p.PaymentStatus)))
            {
                throw new NowPaymentsException("NowPayments listed a payment without payment_id or payment_status.", HttpStatusCode.OK, isRetryable: true);
            }
            // The filter is the provider's; a payment of another invoice is never taken for this one.
            payments.AddRange(data.Where(p => p.InvoiceId is null || string.Equals(p.InvoiceId, invoiceId, StringComparison.Ordinal)));
            if (data.Count == 0 || page + 1 >= (answer.PagesCount ?? 1))
            {
                break;
            }
        }
        return payments;
    }

    private Task<string> TokenAsync(CancellationToken cancellationToken) => _token.GetAsync(LogInAsync, cancellationToken);

    private async Task<string> LogInAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync<AuthTokenResponse>(
            "Login",
            () => new HttpRequestMessage(HttpMethod.Post, Endpoint("auth"))
            {
                Content = JsonContent.Create(new AuthTokenRequest(_options.Email!, _options.Password!), options: NowPaymentsJson.Options),
            },
            cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(answer.Token))
        {
            throw new NowPaymentsException("NowPayments answered the login without a token.", HttpStatusCode.OK, isRetryable: true);
        }
        LogLoggedIn();
        return answer.Token;
    }

    private static string ResolvePayCurrency(string payCurrency)
    {
        if (PayCurrencies.TryMap(payCurrency, out var mapped))
        {
            return mapped;
        }

        if (PayCurrencies.IsSupportedTicker(payCurrency))
        {
            return payCurrency.Trim().ToLowerInvariant();
        }

        throw new NowPaymentsException($"Currency '{payCurrency}' is not supported.", statusCode: null, isRetryable: false);
    }

    private Uri Endpoint(string relative)
    {
        var baseUrl = _options.BaseUrl.EndsWith('/') ? _options.BaseUrl : _options.BaseUrl + "/";
        return new Uri(new Uri(baseUrl, UriKind.Absolute), relative);
    }

    private async Task<T> SendAsync<T>(string operation, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken, string? bearer = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var started = Stopwatch.GetTimestamp();

        try
        {
            using var request = createRequest();
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
            if (bearer is not null)
            {
                request.Headers.TryAddWithoutValidation(AuthorizationHeader, "Bearer " + bearer);
            }
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogResponse(operation, (int)response.StatusCode, elapsed.TotalMilliseconds);

            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                throw CreateHttpError(operation, response.StatusCode, text);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(NowPaymentsJson.Options, timeout.Token).ConfigureAwait(false)
                    ?? throw new JsonException("The body is null.");
            }
            catch (JsonException ex)
            {
                // A 2xx that is not the documented shape is a provider fault, not a rejection of our request.
                throw new NowPaymentsException($"NowPayments {operation} answered {(int)response.StatusCode} with an unreadable body.", response.StatusCode, isRetryable: true, innerException: ex);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            LogFailure(operation, "timeout");
            throw new NowPaymentsException($"NowPayments {operation} timed out after {_options.RequestTimeout.TotalSeconds:0.###} s.", statusCode: null, isRetryable: true, innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            LogFailure(operation, ex.HttpRequestError.ToString());
            throw new NowPaymentsException($"NowPayments {operation} failed: {ex.HttpRequestError}.", statusCode: null, isRetryable: true, innerException: ex);
        }
    }

    private NowPaymentsException CreateHttpError(string operation, HttpStatusCode statusCode, string body)
    {
        var error = ProviderError.Parse(Scrub(body));
        var retryable = NowPaymentsException.IsRetryableStatus(statusCode);
        var detail = error.Message ?? error.Code ?? "no message";
        LogRejected(operation, (int)statusCode, error.Code, retryable);
        return new NowPaymentsException(
            $"NowPayments {operation} answered {(int)statusCode}: {detail}",
            statusCode,
            retryable,
            error.Code,
            error.Message);
    }

    /// <summary>Removes our secrets should the provider ever echo them back.</summary>
    private string Scrub(string text)
    {
        foreach (var secret in new[] { _options.ApiKey, _options.IpnSecret, _options.Password, _token.Peek() })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "NowPayments {Operation} answered {StatusCode} in {ElapsedMs:0} ms")]
    private partial void LogResponse(string operation, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NowPayments {Operation} answered {StatusCode} ({ProviderCode}), retryable {Retryable}")]
    private partial void LogRejected(string operation, int statusCode, string? providerCode, bool retryable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NowPayments {Operation} failed without a response: {Reason}")]
    private partial void LogFailure(string operation, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Logged in to NowPayments for payment listings")]
    private partial void LogLoggedIn();

    // Debug: the CreateInvoice activity logs the invoice with its order.
    [LoggerMessage(Level = LogLevel.Debug, Message = "NowPayments invoice {InvoiceId} created for order {OrderId}")]
    private partial void LogInvoiceCreated(string invoiceId, string orderId);

    /// <summary>The buyer's way back to the shop: <c>{orderId}</c> in a configured URL becomes the order's id.</summary>
    private static string? ForOrder(string? url, string orderId) =>
        url?.Replace("{orderId}", Uri.EscapeDataString(orderId), StringComparison.Ordinal);
}
