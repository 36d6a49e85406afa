using Temporalio.Testing;

namespace FlashFundX.Activities.Tests.Support;

/// <summary>Runs an activity method inside a Temporal activity context, as a worker would.</summary>
internal static class InActivity
{
    public static Task<T> RunAsync<T>(Func<Task<T>> activity) => new ActivityEnvironment().RunAsync(activity);

    public static Task RunAsync(Func<Task> activity) => new ActivityEnvironment().RunAsync(activity);
}
