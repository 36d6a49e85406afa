using FlashFundX.Activities.Delivery;
using FlashFundX.Activities.Orders;
using FlashFundX.Activities.Payments;
using Temporalio.Extensions.Hosting;

namespace FlashFundX.Activities;

public static class ActivitiesServiceCollectionExtensions
{
    /// <summary>Registers the activity classes, each activity call in its own DI scope.</summary>
    public static ITemporalWorkerServiceOptionsBuilder AddFulfillmentActivities(this ITemporalWorkerServiceOptionsBuilder builder) =>
        builder
            .AddScopedActivities<OrderActivities>()
            .AddScopedActivities<RefundActivities>()
            .AddScopedActivities<DeliveryActivities>()
            .AddScopedActivities<PaymentActivities>();
}
