using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Data.Inventory;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Inventory;

/// <summary>
/// After an import, signals <c>InventoryRestocked</c> to every order waiting for stock of a size/platform that got
/// accounts. Best effort: a workflow that misses the signal re-checks stock on its own timer.
/// </summary>
public sealed partial class RestockNotifier(CallerScopedDatabase database, OrderWorkflowClient workflows, ILogger<RestockNotifier> logger)
{
    private const int Parallelism = 8;

    private const string WaitingSql = """
        SELECT o.order_id
        FROM orders o
        JOIN unnest(@Sizes, @Platforms) AS s(account_size, platform)
          ON o.account_size = s.account_size AND o.platform = s.platform
        WHERE o.delivery_status = 'waiting_inventory'
        ORDER BY o.created_at
        """;

    /// <returns>How many waiting orders were signalled.</returns>
    public async Task<int> NotifyAsync(IReadOnlyCollection<StockKey> restocked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restocked);
        if (restocked.Count == 0)
        {
            return 0;
        }

        string[] orderIds;
        await using (var session = await database.OpenSystemAsync(cancellationToken))
        {
            orderIds = (await session.Connection.QueryAsync<string>(session.Command(WaitingSql, new
            {
                Sizes = restocked.Select(r => r.AccountSize).ToArray(),
                Platforms = restocked.Select(r => WireName.Of(r.Platform)).ToArray(),
            }, cancellationToken))).ToArray();
        }

        var signalled = 0;
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (orderId, _) =>
        {
            try
            {
                if (await workflows.InventoryRestockedAsync(orderId, CancellationToken.None) == SignalResult.Delivered)
                {
                    Interlocked.Increment(ref signalled);
                }
            }
#pragma warning disable CA1031 // one unreachable workflow must not stop the others; it re-checks stock on its timer
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSignalFailed(logger, ex, orderId, OrderIds.WorkflowId(orderId));
            }
        });
        return signalled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not signal restock to order {OrderId} workflow {WorkflowId}; it will re-check on its timer")]
    private static partial void LogSignalFailed(ILogger logger, Exception exception, string orderId, string workflowId);
}
