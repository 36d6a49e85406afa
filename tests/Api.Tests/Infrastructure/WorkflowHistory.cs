using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace FlashFundX.Api.Tests.Infrastructure;

public static class WorkflowHistory
{
    /// <summary>How many times <paramref name="signalName"/> reached the order's workflow, read from its history.</summary>
    public static async Task<int> CountSignalsAsync(ITemporalClient client, string orderId, string signalName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var history = await client.GetWorkflowHandle($"order-{orderId}").FetchHistoryAsync();
        return history.Events.Count(e =>
            e.EventType == EventType.WorkflowExecutionSignaled
            && e.WorkflowExecutionSignaledEventAttributes.SignalName == signalName);
    }
}
