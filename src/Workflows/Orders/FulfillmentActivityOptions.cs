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
    /// <summary>
    /// Creates the provider invoice, as a local activity: one provider call and one row written need no activity task
    /// of their own. A provider rejection (bad currency, 4xx) fails the order at once; anything else is retried in the
    /// worker, backing off to a timer beyond a minute.
    /// </summary>
    public static readonly LocalActivityOptions Invoice = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(15),
        RetryPolicy = Backoff(ActivityErrors.PaymentProviderRejected, ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    /// <summary>One status poll; a failed poll is only logged, the next poll tries again, so it gives up quickly.</summary>
    public static readonly ActivityOptions PaymentCheck = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(2),
        RetryPolicy = Backoff(ActivityErrors.PaymentProviderRejected, ActivityErrors.OrderNotFound),
    };

    /// <summary>
    /// Writes payment reports and order state, as a local activity: retried in the worker through a database outage
    /// (backing off to a timer beyond a minute).
    /// </summary>
    public static readonly LocalActivityOptions StateSync = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
    };

    /// <summary>
    /// Rules, account, delivered row, totals and completion in one transaction, as a local activity: out of stock is an
    /// outcome, not an error; an order that cannot get rules, or ended meanwhile, is not retried.
    /// </summary>
    public static readonly LocalActivityOptions Delivery = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromHours(2),
        RetryPolicy = Backoff(ActivityErrors.TradingRulesMissing, ActivityErrors.OrderNotFound, ActivityErrors.InvalidOrderState),
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

    private static RetryPolicy Backoff(params string[] nonRetryableErrorTypes) => new()
    {
        InitialInterval = TimeSpan.FromSeconds(1),
        BackoffCoefficient = 2,
        MaximumInterval = TimeSpan.FromMinutes(1),
        NonRetryableErrorTypes = nonRetryableErrorTypes,
    };
}
