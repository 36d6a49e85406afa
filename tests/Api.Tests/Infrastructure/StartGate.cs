using FlashFundX.Api.Temporal;
using Temporalio.Client;
using Temporalio.Client.Interceptors;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// A client interceptor that holds the first workflow start until <see cref="FailFirst"/> and then fails it as an
/// unreachable Temporal would; every later start passes.
/// </summary>
public sealed class StartGate : IClientInterceptor
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _workflowIds = [];

    /// <summary>The workflow ids of the starts that reached the gate, in order.</summary>
    public IReadOnlyList<string> WorkflowIds
    {
        get
        {
            lock (_workflowIds)
            {
                return [.. _workflowIds];
            }
        }
    }

    public void FailFirst() => _release.TrySetResult();

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(this, nextInterceptor);

    private sealed class Outbound(StartGate gate, ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override async Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
        {
            int count;
            lock (gate._workflowIds)
            {
                gate._workflowIds.Add(input.Options.Id ?? "");
                count = gate._workflowIds.Count;
            }
            if (count == 1)
            {
                await gate._release.Task.WaitAsync(input.Options.Rpc?.CancellationToken ?? CancellationToken.None);
                throw new TemporalUnavailableException("The first start fails (test).");
            }
            return await base.StartWorkflowAsync<TWorkflow, TResult>(input);
        }
    }
}
