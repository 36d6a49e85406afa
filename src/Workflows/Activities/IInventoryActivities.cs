using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

public interface IInventoryActivities
{
    /// <summary>Reserves the oldest available matching account for the order; a repeat returns the same account.</summary>
    [Activity]
    Task<ReservationOutcome> ReserveAccountAsync(OrderRef order);
}
