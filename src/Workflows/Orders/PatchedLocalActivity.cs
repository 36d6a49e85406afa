using System.Linq.Expressions;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// A step that became a local activity behind a patch: runs past the patch make the call inside the workflow task,
/// runs started before it replay the activity task they recorded.
/// </summary>
internal static class PatchedLocalActivity
{
    public static Task<TResult> ExecuteAsync<TActivities, TResult>(
        bool local, Expression<Func<TActivities, Task<TResult>>> call, LocalActivityOptions localOptions, ActivityOptions options, string summary) =>
        local
            ? Workflow.ExecuteLocalActivityAsync(call, localOptions.WithSummary(summary))
            : Workflow.ExecuteActivityAsync(call, options.WithSummary(summary));
}
