namespace FlashFundX.Activities.Tests.Support;

/// <summary>Runs calls in parallel, each on its own thread-pool task, released together so they race in the database.</summary>
internal static class AllAtOnce
{
    public static async Task<TResult[]> RunAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = items.Select(item => Task.Run(async () =>
        {
            await gate.Task;
            return await call(item);
        })).ToList();

        gate.SetResult();
        return await Task.WhenAll(running);
    }
}
