using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlashFundX.NowPayments.Simulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace FlashFundX.NowPayments.Simulator.Endpoints;

/// <summary>
/// The NowPayments API surface: <c>POST /invoice</c>, <c>GET /payment/{id}</c>, <c>POST /auth</c>, <c>GET /payment/</c>
/// (the payment list, which wants a token from <c>/auth</c> as well as the API key), <c>GET /status</c>.
/// </summary>
internal static class ProviderEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app, NowPaymentsSimulator simulator)
    {
        // Cast to Delegate: as a RequestDelegate the analyzer mistakes the inner handler's Task<IResult> for the endpoint's.
        app.MapPost("/invoice", (Delegate)((HttpContext context) =>
            RunAsync(context, simulator, requireApiKey: true, () => CreateInvoiceAsync(context, simulator))));
        app.MapGet("/payment/{paymentId}", (HttpContext context, string paymentId) =>
            RunAsync(context, simulator, requireApiKey: true, () => Task.FromResult(GetPayment(simulator, paymentId))));
        app.MapPost("/auth", (Delegate)((HttpContext context) =>
            RunAsync(context, simulator, requireApiKey: false, () => LogInAsync(context, simulator))));
        app.MapGet("/payment", (Delegate)((HttpContext context) =>
            RunAsync(context, simulator, requireApiKey: true, () => Task.FromResult(ListPayments(context, simulator)))));
        app.MapGet("/status", (Delegate)((HttpContext context) =>
            RunAsync(context, simulator, requireApiKey: false, () => Task.FromResult(ProviderErrors.Json(new JsonObject { ["message"] = "OK" })))));
    }

    /// <summary>Applies an injected fault, checks <c>x-api-key</c>, runs the handler and records the call.</summary>
    private static async Task RunAsync(HttpContext context, NowPaymentsSimulator simulator, bool requireApiKey, Func<Task<IResult>> handler)
    {
        var path = context.Request.Path.Value ?? "/";
        var fault = simulator.Faults.TakeFor(path);
        IResult result;
        try
        {
            if (fault?.Delay is { } delay)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (fault?.StatusCode is { } faultStatus)
            {
                result = ProviderErrors.Error(faultStatus, "SIMULATED_FAULT", $"Simulated fault {faultStatus}.");
            }
            else if (requireApiKey && !HasValidApiKey(context, simulator.Options.ApiKey))
            {
                result = ProviderErrors.Error(StatusCodes.Status403Forbidden, "INVALID_API_KEY", "Invalid api key");
            }
            else
            {
                result = await handler();
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            simulator.State.RecordApiCall(new SimulatorApiCall(context.Request.Method, path, 499, fault is not null, simulator.Time.GetUtcNow()));
            return; // the client gave up (its timeout); nobody is listening for an answer
        }

        // Recorded before the answer goes out: a client that has its answer finds its call in the log.
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        simulator.State.RecordApiCall(new SimulatorApiCall(context.Request.Method, path, status, fault is not null, simulator.Time.GetUtcNow()));
        await result.ExecuteAsync(context);
    }

    private static bool HasValidApiKey(HttpContext context, string apiKey) =>
        FixedTimeEquals(context.Request.Headers["x-api-key"].ToString(), apiKey);

    /// <summary>
    /// The request body as a JSON object, or the provider's refusal: past <see cref="MaxBodyBytes"/> it stops reading
    /// (413) rather than buffering whatever a client sends.
    /// </summary>
    private static async Task<(JsonObject? Fields, IResult? Refusal)> ReadJsonObjectAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, ProviderErrors.Error(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", "Request body is too large"));
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonNode.Parse(buffer.ToArray()) is JsonObject fields
                ? (fields, null)
                : (null, ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", "Request body must be a JSON object"));
        }
        catch (JsonException)
        {
            return (null, ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", "Request body must be JSON"));
        }
    }

    private static async Task<IResult> CreateInvoiceAsync(HttpContext context, NowPaymentsSimulator simulator)
    {
        var (fields, refusal) = await ReadJsonObjectAsync(context);
        if (fields is null)
        {
            return refusal!;
        }

        if (!TryReadDecimal(fields["price_amount"], out var priceAmount) || priceAmount <= 0)
        {
            return ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", "\"price_amount\" must be a positive number");
        }

        var priceCurrency = ReadString(fields["price_currency"]);
        if (string.IsNullOrWhiteSpace(priceCurrency))
        {
            return ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", "\"price_currency\" is required");
        }

        var payCurrency = ReadString(fields["pay_currency"]);
        if (!string.IsNullOrEmpty(payCurrency) && !PayCurrencies.IsSupportedTicker(payCurrency))
        {
            return ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", $"Currency {payCurrency} was not found");
        }

        var now = simulator.Time.GetUtcNow();
        var invoice = simulator.State.AddInvoice(id => new InvoiceState
        {
            Id = id,
            OrderId = ReadString(fields["order_id"]) ?? "",
            OrderDescription = ReadString(fields["order_description"]),
            PriceAmount = priceAmount,
            PriceCurrency = priceCurrency.ToLowerInvariant(),
            PayCurrency = string.IsNullOrEmpty(payCurrency) ? null : payCurrency.ToLowerInvariant(),
            IpnCallbackUrl = ReadString(fields["ipn_callback_url"]),
            SuccessUrl = ReadString(fields["success_url"]),
            CancelUrl = ReadString(fields["cancel_url"]),
            InvoiceUrl = $"{simulator.BaseUrl}/simulator/invoices/{SimulatorJson.Id(id)}",
            CreatedAt = now,
        });

        // NowPayments answers the invoice id and price_amount as strings.
        return ProviderErrors.Json(new JsonObject
        {
            ["id"] = SimulatorJson.Id(invoice.Id),
            ["token_id"] = "sim" + SimulatorJson.Id(invoice.Id),
            ["order_id"] = invoice.OrderId,
            ["order_description"] = invoice.OrderDescription,
            ["price_amount"] = invoice.PriceAmount.ToString(CultureInfo.InvariantCulture),
            ["price_currency"] = invoice.PriceCurrency,
            ["pay_currency"] = invoice.PayCurrency,
            ["ipn_callback_url"] = invoice.IpnCallbackUrl,
            ["invoice_url"] = invoice.InvoiceUrl,
            ["success_url"] = invoice.SuccessUrl,
            ["cancel_url"] = invoice.CancelUrl,
            ["created_at"] = SimulatorJson.Date(invoice.CreatedAt),
            ["updated_at"] = SimulatorJson.Date(invoice.CreatedAt),
            ["is_fixed_rate"] = false,
            ["is_fee_paid_by_user"] = false,
        });
    }

    private static IResult GetPayment(NowPaymentsSimulator simulator, string paymentId)
    {
        if (!long.TryParse(paymentId, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", "\"payment_id\" must be a number");
        }

        var payment = simulator.State.FindPayment(paymentId);
        if (payment is null)
        {
            return ProviderErrors.Error(StatusCodes.Status404NotFound, "PAYMENT_NOT_FOUND", "Payment not found");
        }

        lock (simulator.State.Gate)
        {
            return ProviderErrors.Json(PaymentJson(payment));
        }
    }

    private static async Task<IResult> LogInAsync(HttpContext context, NowPaymentsSimulator simulator)
    {
        var (fields, refusal) = await ReadJsonObjectAsync(context);
        if (fields is null)
        {
            return refusal!;
        }

        var options = simulator.Options;
        if (options.AccountEmail is null || options.AccountPassword is null
            || !FixedTimeEquals(ReadString(fields["email"]) ?? "", options.AccountEmail)
            || !FixedTimeEquals(ReadString(fields["password"]) ?? "", options.AccountPassword))
        {
            return ProviderErrors.Error(StatusCodes.Status401Unauthorized, "INVALID_CREDENTIALS", "Invalid email or password");
        }
        return ProviderErrors.Json(new JsonObject { ["token"] = simulator.Tokens.Issue() });
    }

    private static IResult ListPayments(HttpContext context, NowPaymentsSimulator simulator)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !simulator.Tokens.IsValid(authorization["Bearer ".Length..]))
        {
            return ProviderErrors.Error(StatusCodes.Status401Unauthorized, "AUTH_REQUIRED", "Authorization header is empty or the token has expired (Bearer JWTtoken is required)");
        }

        var query = context.Request.Query;
        if (!TryReadQueryInt(query["limit"], 10, out var limit) || limit is < 1 or > 500
            || !TryReadQueryInt(query["page"], 0, out var page) || page < 0)
        {
            return ProviderErrors.Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST_PARAMS", "\"limit\" must be 1–500 and \"page\" 0 or more");
        }
        var invoiceId = query["invoiceId"].ToString();
        var payments = simulator.State.Payments(string.IsNullOrEmpty(invoiceId) ? null : invoiceId);
        IEnumerable<PaymentState> ordered = string.Equals(query["orderBy"], "desc", StringComparison.OrdinalIgnoreCase) ? payments.Reverse() : payments;

        lock (simulator.State.Gate)
        {
            var data = new JsonArray(ordered.Skip(page * limit).Take(limit).Select(p => (JsonNode)PaymentJson(p)).ToArray());
            return ProviderErrors.Json(new JsonObject
            {
                ["data"] = data,
                ["limit"] = limit,
                ["page"] = page,
                ["pagesCount"] = (payments.Count + limit - 1) / limit,
                ["total"] = payments.Count,
            });
        }
    }

    /// <summary>A payment as NowPayments shows it; call under <see cref="State.SimulatorState.Gate"/>.</summary>
    private static JsonObject PaymentJson(PaymentState payment) => new()
    {
        ["payment_id"] = payment.Id,
        ["invoice_id"] = payment.Invoice.Id,
        ["parent_payment_id"] = payment.ParentPaymentId,
        ["payment_status"] = payment.Status,
        ["pay_address"] = payment.PayAddress,
        ["payin_extra_id"] = null,
        ["price_amount"] = payment.PriceAmount,
        ["price_currency"] = payment.PriceCurrency,
        ["pay_amount"] = payment.PayAmount,
        ["actually_paid"] = payment.ActuallyPaid,
        ["pay_currency"] = payment.PayCurrency,
        ["order_id"] = payment.Invoice.OrderId,
        ["order_description"] = payment.Invoice.OrderDescription,
        ["purchase_id"] = payment.PurchaseId,
        ["outcome_amount"] = decimal.Round(payment.ActuallyPaid * 0.995m, 8),
        ["outcome_currency"] = payment.PayCurrency,
        ["created_at"] = SimulatorJson.Date(payment.CreatedAt),
        ["updated_at"] = SimulatorJson.Date(payment.UpdatedAt),
    };

    private static bool TryReadQueryInt(StringValues value, int fallback, out int result)
    {
        result = fallback;
        return string.IsNullOrEmpty(value) || int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static bool TryReadDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue json)
        {
            return false;
        }

        return json.GetValueKind() switch
        {
            JsonValueKind.Number => json.TryGetValue(out value),
            JsonValueKind.String => decimal.TryParse(json.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static string? ReadString(JsonNode? node) =>
        node is JsonValue json
            ? json.GetValueKind() switch
            {
                JsonValueKind.String => json.GetValue<string>(),
                JsonValueKind.Number => json.ToJsonString(),
                _ => null,
            }
            : null;
}
