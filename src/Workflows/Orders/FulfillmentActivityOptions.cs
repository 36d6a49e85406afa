using FlashFundX.Workflows.Activities;
using Temporalio.Common;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// Timeouts and retry policies of every activity the fulfillment workflow calls, in one place.
/// StartToClose bounds one attempt; ScheduleToClose bounds all retries, after which the workflow decides
/// (an unpaid order fails, a paid one is flagged for refund). Error types that retrying cannot fix are non-retryable.
/// </summary>
public static class FulfillmentActivityOptions
{
    /// <summary>Creates the provider invoice; a provider rejection (bad currency, 4xx) fails the order at once.</summary>
    public static readonly ActivityOptions Invoice = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(15),
        RetryPolicy = Backoff(ActivityErrors.PaymentProviderRejected, ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    /// <summary>
    /// <see cref="Invoice"/> as a local activity (patch <c>local-invoice</c>): one provider call and one row written need
    /// no activity task of their own, nor the workflow task its completion would start. Same limits and non-retryable
    /// errors; retried in the worker, backing off to a timer beyond a minute.
    /// </summary>
    public static readonly LocalActivityOptions LocalInvoice = Local(Invoice);

    /// <summary>One status poll; a failed poll is only logged, the next poll tries again, so it gives up quickly.</summary>
    public static readonly ActivityOptions PaymentCheck = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(2),
        RetryPolicy = Backoff(ActivityErrors.PaymentProviderRejected, ActivityErrors.OrderNotFound),
    };

    /// <summary>Database writes of the order's payment and state: keep retrying through a database outage.</summary>
    public static readonly ActivityOptions Recording = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    public static readonly ActivityOptions TradingRules = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.TradingRulesMissing, ActivityErrors.OrderNotFound),
    };

    /// <summary>Out of stock is a normal outcome, not an error, so only infrastructure failures are retried here.</summary>
    public static readonly ActivityOptions Reservation = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    public static readonly ActivityOptions Delivery = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.ReservationMissing, ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    public static readonly ActivityOptions Completion = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    /// <summary>
    /// Rules, reservation, delivery and completion in one transaction: out of stock is an outcome, not an error; an
    /// order that cannot get rules, or ended meanwhile, is not retried.
    /// </summary>
    public static readonly ActivityOptions OneTransactionDelivery = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.TradingRulesMissing, ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    /// <summary>
    /// <see cref="OneTransactionDelivery"/> as a local activity (patch <c>local-delivery</c>): one short transaction
    /// needs no activity task, nor the workflow task its completion would start. Retried in the worker, backing off to
    /// a timer beyond a minute, with the same limits and non-retryable errors.
    /// </summary>
    public static readonly LocalActivityOptions LocalDelivery = Local(OneTransactionDelivery);

    /// <summary>
    /// The local activity writing payment reports and order state: retried in the worker through a database outage
    /// (backing off to a timer beyond a minute), like <see cref="Recording"/>.
    /// </summary>
    public static readonly LocalActivityOptions StateSync = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    /// <summary>
    /// The order e-mail, sent after the order ended: an SMTP outage is retried for a day (backing off to 10 min), and
    /// nothing but the workflow's close waits for it. Only a missing order or a refused message is not retried. The
    /// activity heartbeats while the mail server talks, so a worker that died mid-send is retried after 20 s, not 2 min.
    /// </summary>
    public static readonly ActivityOptions Notification = new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(2),
        HeartbeatTimeout = TimeSpan.FromSeconds(20),
        ScheduleToCloseTimeout = TimeSpan.FromDays(1),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(10),
            NonRetryableErrorTypes = [ActivityErrors.OrderNotFound, ActivityErrors.EmailRejected],
        },
    };

    /// <summary>A copy of <paramref name="options"/> with the one-line summary the Temporal UI shows for the call.</summary>
    public static ActivityOptions WithSummary(this ActivityOptions options, string summary)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = (ActivityOptions)options.Clone();
        copy.Summary = summary;
        return copy;
    }

    /// <inheritdoc cref="WithSummary(ActivityOptions, string)"/>
    public static LocalActivityOptions WithSummary(this LocalActivityOptions options, string summary)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = (LocalActivityOptions)options.Clone();
        copy.Summary = summary;
        return copy;
    }

    /// <summary>The limits and retry policy of <paramref name="activity"/>, for the same call made as a local activity.</summary>
    private static LocalActivityOptions Local(ActivityOptions activity) => new()
    {
        StartToCloseTimeout = activity.StartToCloseTimeout,
        ScheduleToCloseTimeout = activity.ScheduleToCloseTimeout,
        RetryPolicy = activity.RetryPolicy,
    };

    private static RetryPolicy Backoff(params string[] nonRetryableErrorTypes) => new()
    {
        InitialInterval = TimeSpan.FromSeconds(1),
        BackoffCoefficient = 2,
        MaximumInterval = TimeSpan.FromMinutes(1),
        NonRetryableErrorTypes = nonRetryableErrorTypes,
    };
}
