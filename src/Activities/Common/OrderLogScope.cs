using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging;

namespace FlashFundX.Activities.Common;

/// <summary>Puts OrderId and WorkflowId on every log line written inside the scope (Serilog turns them into properties).</summary>
internal static class OrderLogScope
{
    public static IDisposable? Begin(ILogger logger, string orderId) =>
        logger.BeginScope(new Dictionary<string, object>
        {
            ["OrderId"] = orderId,
            ["WorkflowId"] = OrderIds.WorkflowId(orderId),
        });
}
