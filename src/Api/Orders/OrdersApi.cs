using System.Globalization;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Limits;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FlashFundX.Api.Orders;

/// <summary>The customer's orders: create, read, list, and the delivered account's credentials.</summary>
public static class OrdersApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private const string OpenUnpaidSetting = $"{LimitsOptions.SectionName}:{nameof(LimitsOptions.OpenUnpaidOrdersPerUser)}";

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders").RequireAuthorization();

        orders.MapPost("/", CreateOrderAsync)
            .WithName("CreateOrder")
            .WithSummary("Create an order and its payment invoice")
            .RequireRateLimiting(LimitPolicies.OrderCreation)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        orders.MapGet("/{orderId}", GetOrderAsync)
            .WithName("GetOrder")
            .WithSummary("Get one of the caller's orders (admins: any order)")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapGet("/", ListOrdersAsync)
            .WithName("ListOrders")
            .WithSummary("List the caller's orders (admins: all orders), newest first")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        orders.MapGet("/{orderId}/account", GetAccountAsync)
            .WithName("GetOrderAccount")
            .WithSummary("Get the trading account delivered for the caller's own order, with its passwords")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapPost("/{orderId}/payment-check", CheckPaymentAsync)
            .WithName("CheckOrderPayment")
            .WithSummary("Ask the order's workflow to look its payment up at the provider now; the answer is the order as it then stands")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return orders;
    }

    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> CheckPaymentAsync(
        string orderId, HttpContext context, OrderQueries queries, OrderWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(context.User);
        // The owner's request only: an admin has the admin tools.
        var current = OrderIds.IsValid(orderId) ? await queries.FindAsync(caller, orderId, adminSeesAll: false, cancellationToken) : null;
        if (current is null)
        {
            return OrderNotFound(orderId);
        }
        if (current.OrderStatus is not (OrderStatus.Created or OrderStatus.AwaitingPayment))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to check",
                detail: $"Order {orderId} is {WireName.Of(current.OrderStatus)}, not waiting for a payment.");
        }
        switch (await workflows.CheckPaymentAsync(orderId, cancellationToken))
        {
            case PaymentCheckResult.TooSoon tooSoon:
                context.Response.Headers.RetryAfter = tooSoon.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Payment checked recently", detail: tooSoon.Detail);
            case PaymentCheckResult.NotApplicable notApplicable:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to check", detail: notApplicable.Detail);
        }
        var order = await queries.FindAsync(caller, orderId, adminSeesAll: false, cancellationToken);
        return order is null ? OrderNotFound(orderId) : TypedResults.Ok(order);
    }

    public static async Task<Results<Created<OrderDto>, ValidationProblem, ProblemHttpResult>> CreateOrderAsync(
        CreateOrderRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext context,
        OrderCreation creation,
        CancellationToken cancellationToken)
    {
        var caller = Caller.Require(context.User);
        var outcome = await creation.CreateAsync(caller, request, idempotencyKey, cancellationToken);
        switch (outcome)
        {
            case CreateOrderOutcome.Created created:
                if (created.Replayed)
                {
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                }
                return TypedResults.Created($"/orders/{created.Order.OrderId}", created.Order);
            case CreateOrderOutcome.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, detail: "The order request has invalid fields.");
            case CreateOrderOutcome.KeyReused reused:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused",
                    detail: $"This Idempotency-Key was already used for order {reused.OrderId} with different fields.");
            case CreateOrderOutcome.LimitReached limit:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many open unpaid orders",
                    detail: $"At most {limit.OpenUnpaidOrders} orders per user may be open and unpaid at once (setting {OpenUnpaidSetting}). " +
                            "Pay or let one of them expire, then try again.",
                    extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["limit"] = limit.OpenUnpaidOrders, ["setting"] = OpenUnpaidSetting });
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome.GetType().Name}.");
        }
    }

    public static async Task<Results<Ok<OrderDto>, ProblemHttpResult>> GetOrderAsync(
        string orderId, HttpContext context, OrderQueries queries, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(context.User);
        var order = OrderIds.IsValid(orderId)
            ? await queries.FindAsync(caller, orderId, adminSeesAll: true, cancellationToken)
            : null;
        return order is null ? OrderNotFound(orderId) : TypedResults.Ok(order);
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrdersAsync(
        HttpContext context, OrderQueries queries, CancellationToken cancellationToken, int? page = null, int? pageSize = null)
    {
        var caller = Caller.Require(context.User);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (page is < 1 or > 1_000_000)
        {
            errors["page"] = ["page must be between 1 and 1000000."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await queries.ListAsync(caller, page ?? 1, pageSize ?? DefaultPageSize, cancellationToken));
    }

    /// <summary>Owner only — admins included get 404 for others' orders: credentials are decrypted for the buyer alone.</summary>
    public static async Task<Results<Ok<AccountCredentialsDto>, ProblemHttpResult>> GetAccountAsync(
        string orderId, HttpContext context, OrderQueries queries, AccountCredentials credentials, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(context.User);
        var order = OrderIds.IsValid(orderId)
            ? await queries.FindAsync(caller, orderId, adminSeesAll: false, cancellationToken)
            : null;
        if (order is null)
        {
            return OrderNotFound(orderId);
        }
        var account = await credentials.ReadAsync(orderId, caller, cancellationToken);
        if (account is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Account not delivered yet",
                detail: $"Order {orderId} is {WireName.Of(order.OrderStatus)} (delivery {WireName.Of(order.DeliveryStatus)}); the account is available once it is delivered.");
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(account);
    }

    /// <summary>The same answer whether the order does not exist or belongs to someone else.</summary>
    internal static ProblemHttpResult OrderNotFound(string orderId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Order not found",
        detail: OrderIds.IsValid(orderId) ? $"No order {orderId} for this account." : "No such order for this account.");
}
