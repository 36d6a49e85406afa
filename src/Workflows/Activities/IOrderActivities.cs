using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

public interface IOrderActivities
{
    /// <summary>Writes the order's stage and statuses.</summary>
    [Activity]
    Task UpdateOrderStateAsync(OrderStateChange change);

    /// <summary>Records the queued payment reports and writes the order's state, in one transaction.</summary>
    [Activity]
    Task SyncOrderAsync(OrderSync sync);
}
