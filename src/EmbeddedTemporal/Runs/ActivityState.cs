using FlashFundX.EmbeddedTemporal.Time;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>Mutable state of one scheduled activity; guarded by the owning run's lock.</summary>
internal sealed class ActivityState
{
    public required long ScheduledEventId { get; init; }
    public required string ActivityId { get; init; }
    public required ActivityType ActivityType { get; init; }
    public required string TaskQueue { get; init; }
    public Payloads? Input { get; init; }
    public Header? Header { get; init; }
    public TimeSpan? ScheduleToClose { get; init; }
    public TimeSpan? ScheduleToStart { get; init; }
    public TimeSpan? StartToClose { get; init; }
    public TimeSpan? Heartbeat { get; init; }
    public required RetryPolicy RetryPolicy { get; init; }
    public required DateTimeOffset ScheduledTime { get; init; }

    public int Attempt { get; set; } = 1;
    public DateTimeOffset CurrentAttemptScheduledTime { get; set; }
    public bool Running { get; set; }
    public bool InBackoff { get; set; }
    public DateTimeOffset? StartedTime { get; set; }
    public string StartedIdentity { get; set; } = "";
    public Payloads? HeartbeatDetails { get; set; }
    public DateTimeOffset? LastHeartbeatTime { get; set; }
    public Failure? LastFailure { get; set; }
    public bool CancelRequested { get; set; }
    public long CancelRequestedEventId { get; set; }

    public ClockTimer? AttemptTimer { get; set; }
    public ClockTimer? HeartbeatTimer { get; set; }
    public ClockTimer? ScheduleToCloseTimer { get; set; }
    public ClockTimer? ScheduleToStartTimer { get; set; }
    public ClockTimer? BackoffTimer { get; set; }

    public void CancelAttemptTimers()
    {
        AttemptTimer?.Cancel();
        HeartbeatTimer?.Cancel();
        AttemptTimer = HeartbeatTimer = null;
    }

    public void CancelAllTimers()
    {
        CancelAttemptTimers();
        ScheduleToCloseTimer?.Cancel();
        ScheduleToStartTimer?.Cancel();
        BackoffTimer?.Cancel();
    }
}
