using Temporalio.Api.Common.V1;
using Temporalio.Api.Sdk.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>Everything needed to create a run, whether from a client start or a continue-as-new.</summary>
internal sealed record RunStartSpec
{
    public required string Namespace { get; init; }
    public required string WorkflowId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }
    public Payloads? Input { get; init; }
    public Header? Header { get; init; }
    public Memo? Memo { get; init; }
    public SearchAttributes? SearchAttributes { get; init; }
    public RetryPolicy? RetryPolicy { get; init; }
    public Temporalio.Api.Common.V1.Priority? Priority { get; init; }
    public TimeSpan? ExecutionTimeout { get; init; }
    public TimeSpan? RunTimeout { get; init; }
    public TimeSpan WorkflowTaskTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan StartDelay { get; init; }
    public string Identity { get; init; } = "";
    public string RequestId { get; init; } = "";
    public string? ContinuedFromRunId { get; init; }
    public string? FirstExecutionRunId { get; init; }
    public Temporalio.Api.Enums.V1.ContinueAsNewInitiator Initiator { get; init; }
    public int Attempt { get; init; } = 1;

    /// <summary>The failure of the run this one retries: the workflow's last failure.</summary>
    public Temporalio.Api.Failure.V1.Failure? ContinuedFailure { get; init; }
    public string CronSchedule { get; init; } = "";
    public UserMetadata? UserMetadata { get; init; }
    public (string Name, Payloads? Input, Header? Header)? InitialSignal { get; init; }

    /// <summary>The update of an update-with-start, admitted before the first workflow task is offered.</summary>
    public Temporalio.Api.Update.V1.Request? InitialUpdate { get; init; }
}
