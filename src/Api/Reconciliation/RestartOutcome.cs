namespace FlashFundX.Api.Reconciliation;

/// <summary>What <see cref="OrderRunRestart.StartFromRecordedStateAsync"/> did.</summary>
public enum RestartOutcome
{
    /// <summary>A new run was started from the recorded state; the stored IPNs that never reached a run were queued to it.</summary>
    Started,

    /// <summary>Not started: a run of the order exists that the call may not replace (an open one always).</summary>
    RunExists,

    /// <summary>No such order.</summary>
    OrderNotFound,

    /// <summary>Not started: the order has ended, and only an admin's retry (replacing a closed run) restarts an ended order.</summary>
    OrderClosed,
}
