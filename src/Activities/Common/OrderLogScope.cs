using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;

namespace FlashFundX.Activities.Common;

/// <summary>Puts OrderId, WorkflowId, RunId, ActivityType and Attempt on every log line written inside the scope (Serilog turns them into properties).</summary>
internal static class OrderLogScope
{
    public static IDisposable? Begin(ILogger logger, string orderId)
    {
        var scope = new Dictionary<string, object>
        {
            ["OrderId"] = orderId,
            ["WorkflowId"] = OrderIds.WorkflowId(orderId),
        };
        // Activities log through their injected logger, not the SDK's, so the run and attempt are added here.
        if (ActivityExecutionContext.HasCurrent)
        {
            var info = ActivityExecutionContext.Current.Info;
            scope["RunId"] = info.WorkflowRunId ?? "";
            scope["ActivityType"] = info.ActivityType;
            scope["Attempt"] = info.Attempt;
        }
        return logger.BeginScope(scope);
    }
}
