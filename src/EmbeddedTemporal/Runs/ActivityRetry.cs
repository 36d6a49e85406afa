using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>Retry decisions for activities, mirroring the server's rules.</summary>
internal static class ActivityRetry
{
    public static RetryPolicy WithDefaults(RetryPolicy? policy)
    {
        var result = policy?.Clone() ?? new RetryPolicy();
        var initial = result.InitialInterval?.ToTimeSpan() ?? TimeSpan.Zero;
        if (initial <= TimeSpan.Zero)
        {
            initial = TimeSpan.FromSeconds(1);
            result.InitialInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(initial);
        }
        if (result.BackoffCoefficient < 1)
        {
            result.BackoffCoefficient = 2.0;
        }
        if (result.MaximumInterval == null || result.MaximumInterval.ToTimeSpan() <= TimeSpan.Zero)
        {
            result.MaximumInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(initial * 100);
        }
        return result;
    }

    /// <summary>Decides whether the failed <paramref name="attempt"/> is retried, and after which delay.</summary>
    public static (RetryState State, TimeSpan Backoff) Decide(
        RetryPolicy policy, int attempt, Failure? failure, DateTimeOffset now, DateTimeOffset scheduledTime, TimeSpan? scheduleToClose)
    {
        var app = failure?.ApplicationFailureInfo;
        if (app != null && (app.NonRetryable || policy.NonRetryableErrorTypes.Contains(app.Type)))
        {
            return (RetryState.NonRetryableFailure, TimeSpan.Zero);
        }
        if (policy.MaximumAttempts > 0 && attempt >= policy.MaximumAttempts)
        {
            return (RetryState.MaximumAttemptsReached, TimeSpan.Zero);
        }
        TimeSpan backoff;
        if (app?.NextRetryDelay is { } next && next.ToTimeSpan() > TimeSpan.Zero)
        {
            backoff = next.ToTimeSpan();
        }
        else
        {
            var initial = policy.InitialInterval.ToTimeSpan().TotalSeconds;
            var seconds = initial * Math.Pow(policy.BackoffCoefficient, attempt - 1);
            var max = policy.MaximumInterval.ToTimeSpan().TotalSeconds;
            backoff = TimeSpan.FromSeconds(Math.Min(seconds, max));
        }
        if (scheduleToClose is { } limit && now + backoff > scheduledTime + limit)
        {
            return (RetryState.Timeout, TimeSpan.Zero);
        }
        return (RetryState.InProgress, backoff);
    }
}
