using System.Diagnostics;
using System.Globalization;
using Dapper;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;
using FlashFundX.Api.Limits;
using FlashFundX.Api.Orders.Events;
using FlashFundX.Api.Temporal;
using FlashFundX.NowPayments;
using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FlashFundX.Api.Orders;

/// <summary>
/// <c>POST /orders</c>: validate, price from trading_rules, insert through <c>create_order</c> (id generation and the
/// Idempotency-Key live in PostgreSQL), start the order's workflow, and wait briefly for its invoice.
/// <para>
/// The wait is driven by the order's <c>order_events</c> notifications (<see cref="OrderEventHub.WatchChanges"/>): the row
/// is read once after the watch starts, then again only when the order changed, so a request costs a few queries rather
/// than one every 100 ms. A slow re-read (<see cref="OrderCreationOptions.InvoiceRecheckInterval"/>) covers a change whose
/// notification was lost, e.g. while the LISTEN connection reconnects.
/// </para>
/// <para>
/// No half-done orders: a new order row whose workflow cannot be started is deleted again (it has no invoice, so
/// nobody can have paid it) and the request fails with 503; a retry with the same Idempotency-Key then creates it
/// afresh, and so does a request with that key that was handed the order before it was deleted. Should the process die between the insert and the start, a retry with the key finds the order still in
/// stage <c>created</c> without invoice and starts its workflow (the start is idempotent: RejectDuplicate).
/// </para>
/// <para>
/// The insert, the invoice wait and the reads run in the caller's <see cref="CallerScopedDatabase"/> session, so row-level
/// security only lets the caller create and see their own orders. Price-list validation (public data) and the
/// compensation delete (a system clean-up of the row just inserted; the caller's role has no DELETE) run as the API's
/// system role, whose delete policy only reaches an order that never got an invoice.
/// </para>
/// </summary>
public sealed partial class OrderCreation(
    CallerScopedDatabase callerDatabase,
    OrderWorkflowClient workflows,
    OrderQueries queries,
    OrderEventHub orderEvents,
    IOptions<FulfillmentOptions> fulfillment,
    IOptions<OrderCreationOptions> options,
    IOptions<LimitsOptions> limits,
    FulfillmentMetrics metrics,
    ILogger<OrderCreation> logger)
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>How often one request creates its order again after a concurrent creation's clean-up removed it.</summary>
    private const int MaxAttempts = 3;

    private const string RuleSql = """
        SELECT id, price, price_currency FROM trading_rules
        WHERE account_type = @AccountType AND account_size = @AccountSize AND is_active
        """;

    private const string SizesSql = """
        SELECT account_size FROM trading_rules WHERE account_type = @AccountType AND is_active ORDER BY account_size
        """;

    private const string CreateSql = """
        SELECT order_id, created FROM create_order(
            @UserId, @IdempotencyKey, @TradingRulesId, @Platform, @PayCurrency, @MaxOpenUnpaid)
        """;

    private const string CompensateSql = """
        DELETE FROM orders WHERE order_id = @OrderId AND stage = 'created' AND invoice_id IS NULL
        """;

    public async Task<CreateOrderOutcome> CreateAsync(
        Caller caller, CreateOrderRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var order = await ValidateAsync(request, errors, cancellationToken);
        ValidateKey(idempotencyKey, errors);
        if (order is null || errors.Count > 0)
        {
            return new CreateOrderOutcome.Invalid(errors);
        }

        // A concurrent request with the same Idempotency-Key whose workflow could not be started deletes its order again
        // (compensation). This request may have been handed that order meanwhile: it then creates the order afresh,
        // as a retry after the failure would, instead of failing on a row that is gone.
        for (var attempt = 1; ; attempt++)
        {
            if (await CreateOnceAsync(caller, order, idempotencyKey, cancellationToken) is { } outcome)
            {
                return outcome;
            }
            LogRemovedMeanwhile(logger, attempt);
            if (attempt == MaxAttempts)
            {
                throw new TemporalUnavailableException("Every order created for this request was removed again by a failed concurrent creation.");
            }
        }
    }

    /// <summary>The outcome, or null when the order this attempt got was deleted by a failed creation's clean-up.</summary>
    private async Task<CreateOrderOutcome?> CreateOnceAsync(
        Caller caller, ValidatedOrder order, string? idempotencyKey, CancellationToken cancellationToken)
    {
        (string? OrderId, bool Created) inserted;
        var maxOpenUnpaid = limits.Value.OpenUnpaidOrdersPerUser;
        await using (var session = await callerDatabase.OpenAsync(caller, useAdminRights: false, cancellationToken))
        {
            inserted = await session.Connection.QuerySingleAsync<(string?, bool)>(session.Command(CreateSql, new
            {
                caller.UserId,
                IdempotencyKey = idempotencyKey,
                order.TradingRulesId,
                Platform = WireName.Of(order.Platform),
                order.PayCurrency,
                MaxOpenUnpaid = maxOpenUnpaid,
            }, cancellationToken));
            await session.CommitAsync(cancellationToken);
        }
        if (inserted.OrderId is null)
        {
            LogLimitReached(logger, caller.UserId, maxOpenUnpaid);
            return new CreateOrderOutcome.LimitReached(maxOpenUnpaid);
        }

        var input = new OrderFulfillmentInput(
            inserted.OrderId, caller.UserId, order.AccountType, order.AccountSize, order.Platform,
            order.Price, order.PriceCurrency, order.PayCurrency, fulfillment.Value.ToSettings());

        if (inserted.Created)
        {
            LogCreated(logger, inserted.OrderId, Temporal(inserted.OrderId), caller.UserId);
            await StartOrCompensateAsync(input);
            metrics.OrderCreated();
        }
        else
        {
            var existing = await queries.FindRowAsync(caller, inserted.OrderId, adminSeesAll: false, cancellationToken);
            if (existing is null)
            {
                return null;
            }
            if (!SameRequest(existing, order))
            {
                return new CreateOrderOutcome.KeyReused(existing.OrderId);
            }
            LogReplayed(logger, inserted.OrderId, Temporal(inserted.OrderId));
            if (existing.Stage == WireName.Of(OrderStage.Created) && existing.InvoiceId is null)
            {
                // The first attempt may have died between insert and start; starting again is a no-op if it did start.
                // The price is the order's: the product may have been repriced since.
                await workflows.StartAsync(input with { PriceAmount = existing.PriceAmount, PriceCurrency = existing.PriceCurrency }, CancellationToken.None);
            }
        }

        var row = await WaitForInvoiceAsync(caller, inserted.OrderId, cancellationToken);
        return row is null ? null : new CreateOrderOutcome.Created(row.ToDto(), Replayed: !inserted.Created);
    }

    private async Task StartOrCompensateAsync(OrderFulfillmentInput input)
    {
        try
        {
            // Not the request's token: a client hanging up must not leave an order without its workflow.
            await workflows.StartAsync(input, CancellationToken.None);
        }
        catch (Exception startFailure)
        {
            LogStartFailed(logger, startFailure, input.OrderId, Temporal(input.OrderId));
            try
            {
                await using var session = await callerDatabase.OpenSystemAsync(CancellationToken.None);
                await session.Connection.ExecuteAsync(session.Command(CompensateSql, new { input.OrderId }));
                await session.CommitAsync(CancellationToken.None);
            }
            catch (Exception compensationFailure) when (compensationFailure is NpgsqlException or TimeoutException)
            {
                // The row stays in stage 'created'; a retry with the same Idempotency-Key starts its workflow.
                LogCompensationFailed(logger, compensationFailure, input.OrderId, Temporal(input.OrderId));
            }
            throw;
        }
    }

    /// <summary>
    /// The order as the caller sees it once it awaits payment of its invoice, has ended without one, or
    /// <see cref="OrderCreationOptions.InvoiceWait"/> has passed, whichever comes first; null when it was deleted meanwhile (a failed concurrent creation's clean-up).
    /// </summary>
    private async Task<OrderRow?> WaitForInvoiceAsync(Caller caller, string orderId, CancellationToken cancellationToken)
    {
        var (wait, recheck) = (options.Value.InvoiceWait, options.Value.InvoiceRecheckInterval);
        var started = Stopwatch.GetTimestamp();
        // Watch before the first read: a change committed after that read is announced to the watch.
        using var changes = wait > TimeSpan.Zero ? orderEvents.WatchChanges(orderId) : null;
        while (true)
        {
            // A short session per read rather than one transaction held open for the whole wait.
            var row = await queries.FindRowAsync(caller, orderId, adminSeesAll: false, cancellationToken);
            if (row is null)
            {
                return null;
            }
            var remaining = wait - Stopwatch.GetElapsedTime(started);
            if (changes is null || HasInvoice(row) || IsClosed(row) || remaining <= TimeSpan.Zero)
            {
                return row;
            }
            // Changed or not, the order is read again: after a notification, at the recheck interval, and at the deadline.
            await changes.WaitAsync(remaining < recheck ? remaining : recheck, cancellationToken);
        }
    }

    /// <summary>
    /// The invoice is stored by the invoice activity a moment before the run writes the order's next stage: a row with an
    /// invoice still at stage <c>created</c> is read again rather than answered.
    /// </summary>
    private static bool HasInvoice(OrderRow row) => row.InvoiceId is not null && row.Stage != WireName.Of(OrderStage.Created);

    /// <summary>The order ended (e.g. the invoice could not be created): no invoice is coming.</summary>
    private static bool IsClosed(OrderRow row) => OrderEvent.IsClosedState(row.OrderStatus, row.DeliveryStatus, row.Stage);

    private async Task<ValidatedOrder?> ValidateAsync(
        CreateOrderRequest request, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        AccountType accountType = default;
        TradingPlatform platform = default;
        string? payCurrency = null;

        if (string.IsNullOrWhiteSpace(request.AccountType))
        {
            errors["accountType"] = ["accountType is required."];
        }
        else if (!WireName.TryParse(request.AccountType, out accountType))
        {
            errors["accountType"] = [$"accountType must be one of {string.Join(", ", WireName.All<AccountType>())}."];
        }

        if (request.AccountSize is null)
        {
            errors["accountSize"] = ["accountSize is required."];
        }
        else if (request.AccountSize <= 0)
        {
            errors["accountSize"] = ["accountSize must be a positive number of dollars, e.g. 10000."];
        }

        if (string.IsNullOrWhiteSpace(request.Platform))
        {
            errors["platform"] = ["platform is required."];
        }
        else if (!WireName.TryParse(request.Platform, out platform))
        {
            errors["platform"] = [$"platform must be one of {string.Join(", ", WireName.All<TradingPlatform>())}."];
        }

        if (string.IsNullOrWhiteSpace(request.PayCurrency))
        {
            errors["payCurrency"] = ["payCurrency is required."];
        }
        else
        {
            payCurrency = PayCurrencies.Map.Keys.FirstOrDefault(k => string.Equals(k, request.PayCurrency, StringComparison.Ordinal));
            if (payCurrency is null)
            {
                errors["payCurrency"] = [$"payCurrency must be one of {string.Join(", ", PayCurrencies.Map.Keys.Order(StringComparer.Ordinal))}."];
            }
        }

        if (errors.ContainsKey("accountType") || errors.ContainsKey("accountSize"))
        {
            return null;
        }

        var type = WireName.Of(accountType);
        await using var session = await callerDatabase.OpenSystemAsync(cancellationToken);
        var rule = await session.Connection.QuerySingleOrDefaultAsync<PriceRow>(session.Command(
            RuleSql, new { AccountType = type, AccountSize = request.AccountSize!.Value }, cancellationToken));
        if (rule is null)
        {
            var sizes = await session.Connection.QueryAsync<int>(session.Command(SizesSql, new { AccountType = type }, cancellationToken));
            errors["accountSize"] = sizes.Any()
                ? [$"{type} {request.AccountSize.Value.ToString(CultureInfo.InvariantCulture)} is not on sale; {type} accounts come in sizes {string.Join(", ", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)))}."]
                : [$"No {type} accounts are on sale."];
            return null;
        }

        return errors.Count > 0
            ? null
            : new ValidatedOrder(accountType, request.AccountSize.Value, platform, payCurrency!, rule.Id, rule.Price, rule.PriceCurrency);
    }

    private static void ValidateKey(string? key, Dictionary<string, string[]> errors)
    {
        if (key is null)
        {
            return;
        }
        if (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
        {
            errors["Idempotency-Key"] = [$"The Idempotency-Key header must be 1–{MaxIdempotencyKeyLength} visible ASCII characters."];
        }
    }

    private static bool SameRequest(OrderRow existing, ValidatedOrder order) =>
        existing.AccountType == WireName.Of(order.AccountType)
        && existing.AccountSize == order.AccountSize
        && existing.Platform == WireName.Of(order.Platform)
        && existing.PayCurrency == order.PayCurrency;

    private sealed class PriceRow
    {
        public long Id { get; init; }
        public decimal Price { get; init; }
        public string PriceCurrency { get; init; } = "";
    }

    private static string Temporal(string orderId) => OrderIds.WorkflowId(orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} created for user {UserId}; starting workflow {WorkflowId}")]
    private static partial void LogCreated(ILogger logger, string orderId, string workflowId, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} has {Limit} open unpaid orders, the limit: no order created")]
    private static partial void LogLimitReached(ILogger logger, Guid userId, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} returned again for a repeated Idempotency-Key (workflow {WorkflowId})")]
    private static partial void LogReplayed(ILogger logger, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not start workflow {WorkflowId} for order {OrderId}; removing the order")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order of this request was removed by a failed creation with the same Idempotency-Key (attempt {Attempt}); creating it again")]
    private static partial void LogRemovedMeanwhile(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not remove order {OrderId} after its workflow {WorkflowId} failed to start")]
    private static partial void LogCompensationFailed(ILogger logger, Exception exception, string orderId, string workflowId);
}
