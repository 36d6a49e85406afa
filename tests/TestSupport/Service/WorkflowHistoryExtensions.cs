using System.Text.Json;
using System.Text.Json.Serialization;
using Temporalio.Api.Enums.V1;
using Temporalio.Common;

namespace FlashFundX.TestSupport.Service;

/// <summary>Counts in a workflow history, for "exactly once" assertions on what the workflow did.</summary>
public static class WorkflowHistoryExtensions
{
    /// <summary>How many times the signal <paramref name="name"/> reached the run.</summary>
    public static int CountSignals(this WorkflowHistory history, string name)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Events.Count(e =>
            e.EventType == EventType.WorkflowExecutionSignaled && e.WorkflowExecutionSignaledEventAttributes.SignalName == name);
    }

    /// <summary>
    /// How many payment reports reached the run: the reports each <c>PaymentStatusesChanged</c> signal carried.
    /// </summary>
    public static int CountPaymentReports(this WorkflowHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var converter = Temporalio.Converters.DataConverter.Default.PayloadConverter;
        return history.Events
            .Where(e => e.EventType == EventType.WorkflowExecutionSignaled)
            .Select(e => e.WorkflowExecutionSignaledEventAttributes)
            .Sum(signal => signal.SignalName switch
            {
                "PaymentStatusesChanged" => ((FlashFundX.Workflows.Contracts.PaymentUpdates)converter.ToValue(signal.Input.Payloads_[0], typeof(FlashFundX.Workflows.Contracts.PaymentUpdates))!).Updates.Count,
                _ => 0,
            });
    }

    /// <summary>
    /// How many activities of type <paramref name="activityType"/> (e.g. <c>DeliverOrder</c>) the run scheduled, or ran
    /// as local activities (one marker per completed local activity, whatever its attempts).
    /// </summary>
    public static int CountActivities(this WorkflowHistory history, string activityType)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Events.Count(e => e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityType.Name == activityType)
            + history.LocalActivityAttempts(activityType).Count;
    }

    /// <summary>
    /// For each local activity of type <paramref name="activityType"/> the run completed, the attempt that completed it
    /// (its marker's <c>attempt</c>), in history order.
    /// </summary>
    public static IReadOnlyList<int> LocalActivityAttempts(this WorkflowHistory history, string activityType)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. history.Events
            .Where(e => e.EventType == EventType.MarkerRecorded && e.MarkerRecordedEventAttributes.MarkerName == "core_local_activity")
            .Select(e => e.MarkerRecordedEventAttributes.Details.TryGetValue("data", out var data) && data.Payloads_.Count > 0
                ? JsonSerializer.Deserialize<LocalActivityMarker>(data.Payloads_[0].Data.ToStringUtf8())
                : null)
            .Where(marker => marker?.ActivityType == activityType)
            .Select(marker => marker!.Attempt)];
    }

    /// <summary>True when the run's last event is a successful completion.</summary>
    public static bool CompletedSuccessfully(this WorkflowHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Events.Count > 0 && history.Events.Last().EventType == EventType.WorkflowExecutionCompleted;
    }

    /// <summary>The fields of a local-activity marker's <c>data</c> these counts read.</summary>
    private sealed record LocalActivityMarker(
        [property: JsonPropertyName("activity_type")] string? ActivityType,
        [property: JsonPropertyName("attempt")] int Attempt);
}
