using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

public interface IOrderActivities
{
    /// <summary>Records the queued payment reports and writes the order's state, in one transaction.</summary>
    [Activity]
    Task SyncOrderAsync(OrderSync sync);
}
