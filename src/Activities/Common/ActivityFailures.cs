using FlashFundX.Workflows.Activities;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Common;

/// <summary>The business failures activities raise; non-retryable ones end the activity without further attempts.</summary>
internal static class ActivityFailures
{
    public static ApplicationFailureException OrderNotFound(string orderId) =>
        new($"Order {orderId} does not exist.", errorType: ActivityErrors.OrderNotFound, nonRetryable: true);

    public static ApplicationFailureException InvalidOrderState(string orderId, string reason) =>
        new($"Order {orderId}: {reason}", errorType: ActivityErrors.InvalidOrderState, nonRetryable: true);
}
