using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

public interface IRefundActivities
{
    /// <summary>
    /// Records an admin's refund of a refund_required order and makes the order refunded, in one transaction; the same
    /// reference again writes nothing. Fails non-retryably (<see cref="Contracts.AdminToolRefusals"/>) when the order does not
    /// need a refund or was refunded with another reference.
    /// </summary>
    [Activity]
    Task<RefundRecorded> RecordRefundAsync(RecordRefundInput input);
}
