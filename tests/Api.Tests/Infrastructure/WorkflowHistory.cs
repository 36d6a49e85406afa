using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Domain;
using Temporalio.Client;

namespace FlashFundX.Api.Tests.Infrastructure;

public static class WorkflowHistory
{
    /// <summary>How many times <paramref name="signalName"/> reached the order's workflow, read from its history.</summary>
    public static async Task<int> CountSignalsAsync(ITemporalClient client, string orderId, string signalName)
    {
        ArgumentNullException.ThrowIfNull(client);
        var history = await client.GetWorkflowHandle(OrderIds.WorkflowId(orderId)).FetchHistoryAsync();
        return history.CountSignals(signalName);
    }
}
