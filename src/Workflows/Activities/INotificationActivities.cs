using FlashFundX.Workflows.Contracts;
using Temporalio.Activities;

namespace FlashFundX.Workflows.Activities;

/// <summary>Tells the customer how their order ended.</summary>
public interface INotificationActivities
{
    /// <summary>Sends the order's e-mail of that kind once: a repeat after it was sent sends nothing.</summary>
    [Activity]
    Task<OrderEmailOutcome> SendOrderEmailAsync(OrderEmailRequest request);
}
