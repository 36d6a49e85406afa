using Temporalio.Activities;

namespace FlashFundX.Activities.Common;

/// <summary>The running activity's cancellation token; none when an activity method is called outside a worker (bench, tools).</summary>
internal static class ActivityCancellation
{
    public static CancellationToken Token =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
}
