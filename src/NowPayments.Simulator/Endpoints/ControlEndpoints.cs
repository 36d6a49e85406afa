using System.Text.Json;
using FlashFundX.NowPayments.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlashFundX.NowPayments.Simulator.Endpoints;

/// <summary>
/// The control surface under <c>/simulator</c>: inspect invoices, move payments through statuses (sending signed IPNs),
/// resend stale IPNs, inject faults. Bodies are optional snake_case JSON; <c>?status=</c> works too.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, NowPaymentsSimulator simulator)
    {
        var group = app.MapGroup("/simulator");

        group.MapGet("/invoices", () => Results.Json(simulator.GetInvoices(), NowPaymentsJson.Options));
        group.MapGet("/invoices/{invoiceId}", (string invoiceId) =>
            simulator.GetInvoice(invoiceId) is { } invoice ? Results.Json(invoice, NowPaymentsJson.Options) : NotFound($"Invoice {invoiceId} does not exist."));
        group.MapGet("/orders/{orderId}/invoice", (string orderId) =>
            simulator.GetInvoiceByOrderId(orderId) is { } invoice ? Results.Json(invoice, NowPaymentsJson.Options) : NotFound($"No invoice for order {orderId}."));
        group.MapGet("/payments/{paymentId}", (string paymentId) =>
            simulator.GetPayment(paymentId) is { } payment ? Results.Json(payment, NowPaymentsJson.Options) : NotFound($"Payment {paymentId} does not exist."));
        group.MapGet("/deliveries", () => Results.Json(simulator.GetIpnDeliveries(), NowPaymentsJson.Options));
        group.MapGet("/calls", () => Results.Json(simulator.GetApiCalls(), NowPaymentsJson.Options));

        group.MapPost("/invoices/{invoiceId}/pay", (HttpContext context, string invoiceId) =>
            PayAsync(context, simulator, invoiceId));
        group.MapPost("/orders/{orderId}/pay", (HttpContext context, string orderId) =>
            simulator.GetInvoiceByOrderId(orderId) is { } invoice
                ? PayAsync(context, simulator, invoice.Id)
                : Task.FromResult(NotFound($"No invoice for order {orderId}.")));
        group.MapPost("/payments/{paymentId}/status", (HttpContext context, string paymentId) =>
            RunAsync<ControlRequest>(context, async request =>
                Results.Json(await simulator.SetStatusAsync(
                    paymentId,
                    new SetPaymentStatus(request.Status ?? "")
                    {
                        AmountOverride = request.AmountOverride,
                        PriceCurrencyOverride = request.PriceCurrencyOverride,
                        ActuallyPaid = request.ActuallyPaid,
                        Delivery = request.Delivery,
                    },
                    context.RequestAborted), NowPaymentsJson.Options)));
        group.MapPost("/payments/{paymentId}/ipn", (HttpContext context, string paymentId) =>
            RunAsync<ControlRequest>(context, async request =>
                Results.Json(await simulator.SendIpnAsync(paymentId, request.Status ?? "", request.Duplicates ?? 0, context.RequestAborted), NowPaymentsJson.Options)));

        group.MapPost("/faults", (Delegate)((HttpContext context) =>
            RunAsync<FaultRequest>(context, request =>
            {
                simulator.InjectFaults(request.ToFault());
                return Task.FromResult(Results.NoContent());
            })));
        group.MapDelete("/faults", () =>
        {
            simulator.ClearFaults();
            return Results.NoContent();
        });
    }

    private static Task<IResult> PayAsync(HttpContext context, NowPaymentsSimulator simulator, string invoiceId) =>
        RunAsync<ControlRequest>(context, async request =>
            Results.Json(await simulator.PayInvoiceAsync(
                invoiceId,
                new PayInvoice
                {
                    Status = request.Status ?? NowPaymentsStatuses.Finished,
                    AmountOverride = request.AmountOverride,
                    PriceCurrencyOverride = request.PriceCurrencyOverride,
                    ActuallyPaid = request.ActuallyPaid,
                    PayCurrency = request.PayCurrency,
                    NewPayment = request.NewPayment ?? false,
                    WalkStatuses = request.WalkStatuses ?? true,
                    Delivery = request.Delivery,
                },
                context.RequestAborted), NowPaymentsJson.Options));

    /// <summary>Reads the optional body (an empty body means all defaults) and maps argument/lookup errors to 400/404.</summary>
    private static async Task<IResult> RunAsync<TRequest>(HttpContext context, Func<TRequest, Task<IResult>> handle)
        where TRequest : new()
    {
        TRequest request;
        try
        {
            request = context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.ContainsKey("Transfer-Encoding"))
                ? new TRequest()
                : await JsonSerializer.DeserializeAsync<TRequest>(context.Request.Body, NowPaymentsJson.Options, context.RequestAborted) ?? new TRequest();
        }
        catch (JsonException ex)
        {
            return Results.BadRequest(new { error = "The body is not valid JSON: " + ex.Message });
        }

        if (context.Request.Query.TryGetValue("status", out var status) && request is ControlRequest control && control.Status is null)
        {
            request = (TRequest)(object)(control with { Status = status.ToString() });
        }

        try
        {
            return await handle(request);
        }
        catch (KeyNotFoundException ex)
        {
            return NotFound(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Results.BadRequest(new { error = ex.Message });
        }
    }

    private static IResult NotFound(string message) => Results.NotFound(new { error = message });
}
