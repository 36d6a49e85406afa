using Temporalio.Client;
using Temporalio.Client.Interceptors;

namespace FlashFundX.TestSupport.Temporal;

/// <summary>
/// Unlocks the server's time skipping only while a workflow result is awaited (like the SDK's own time-skipping
/// environment), so long timers are skipped then but not while a test is still sending signals. Results awaited in
/// parallel share one unlock: the first waiter unlocks and the last locks again, so the server's lock count stays
/// balanced however many wait.
/// </summary>
public sealed class TimeSkippingInterceptor : IClientInterceptor
{
    private readonly object _sync = new();
    private ITemporalClient? _client;
    private int _waiters;
    /// <summary>The last unlock or lock call; each waits for the one before, so they reach the server in order.</summary>
    private Task _tail = Task.CompletedTask;

    /// <summary>Set once the client using this interceptor exists.</summary>
    public void Attach(ITemporalClient client) => _client = client;

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(nextInterceptor, this);

    internal async Task<T> WithUnlockedAsync<T>(Func<Task<T>> action)
    {
        var service = (_client ?? throw new InvalidOperationException("Interceptor not attached")).Connection.TestService;
        await InOrderAsync(async () =>
        {
            if (_waiters == 0)
            {
                await service.UnlockTimeSkippingAsync(new()).ConfigureAwait(false);
            }
            _waiters++;
        }).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            await InOrderAsync(async () =>
            {
                _waiters--;
                if (_waiters == 0)
                {
                    await service.LockTimeSkippingAsync(new()).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
    }

    private Task InOrderAsync(Func<Task> call)
    {
        lock (_sync)
        {
            var task = _tail.ContinueWith(_ => call(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            _tail = task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return task;
        }
    }

    private sealed class Outbound(ClientOutboundInterceptor next, TimeSkippingInterceptor owner) : ClientOutboundInterceptor(next)
    {
        public override async Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input) =>
            new SkippingHandle<TWorkflow, TResult>(owner, await base.StartWorkflowAsync<TWorkflow, TResult>(input).ConfigureAwait(false));
    }

    private sealed record SkippingHandle<TWorkflow, TResult> : WorkflowHandle<TWorkflow, TResult>
    {
        private readonly TimeSkippingInterceptor _owner;

        public SkippingHandle(TimeSkippingInterceptor owner, WorkflowHandle<TWorkflow, TResult> inner)
            : base(inner.Client, inner.Id, inner.RunId, inner.ResultRunId, inner.FirstExecutionRunId) => _owner = owner;

        public override Task<TLocalResult> GetResultAsync<TLocalResult>(bool followRuns = true, RpcOptions? rpcOptions = null) =>
            _owner.WithUnlockedAsync(() => base.GetResultAsync<TLocalResult>(followRuns, rpcOptions));
    }
}
