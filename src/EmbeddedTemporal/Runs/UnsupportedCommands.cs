using Temporalio.Api.Enums.V1;

namespace FlashFundX.EmbeddedTemporal.Runs;

/// <summary>
/// Commands a real server accepts but this one does not implement. A task carrying one is failed with the cause a
/// real server gives for an invalid command of that kind, so the workflow stops visibly instead of stalling.
/// </summary>
internal static class UnsupportedCommands
{
    public static WorkflowTaskFailedCause? CauseFor(CommandType type) => type switch
    {
        CommandType.StartChildWorkflowExecution => WorkflowTaskFailedCause.BadStartChildExecutionAttributes,
        CommandType.SignalExternalWorkflowExecution => WorkflowTaskFailedCause.BadSignalWorkflowExecutionAttributes,
        CommandType.RequestCancelExternalWorkflowExecution => WorkflowTaskFailedCause.BadRequestCancelExternalWorkflowExecutionAttributes,
        CommandType.ScheduleNexusOperation => WorkflowTaskFailedCause.BadScheduleNexusOperationAttributes,
        CommandType.RequestCancelNexusOperation => WorkflowTaskFailedCause.BadRequestCancelNexusOperationAttributes,
        _ => null,
    };

    /// <summary>A real server words a failed task's message "{cause}: {reason}", the cause in its short form.</summary>
    public static string Message(WorkflowTaskFailedCause cause, CommandType type) =>
        $"{cause}: {type} is not supported by the embedded Temporal server";
}
