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

    /// <summary>How many activities of type <paramref name="activityType"/> (e.g. <c>RecordDelivery</c>) the run scheduled.</summary>
    public static int CountActivities(this WorkflowHistory history, string activityType)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Events.Count(e =>
            e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityType.Name == activityType);
    }

    /// <summary>True when the run's last event is a successful completion.</summary>
    public static bool CompletedSuccessfully(this WorkflowHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Events.Count > 0 && history.Events.Last().EventType == EventType.WorkflowExecutionCompleted;
    }
}
