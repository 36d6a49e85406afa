using Temporalio.Client;
using Temporalio.Client.Interceptors;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>
/// A client interceptor that holds every signal to one workflow until <see cref="Open"/> (or the caller's RPC
/// cancellation), as a Temporal frontend that is slow for one busy workflow would; signals to other workflows pass.
/// </summary>
public sealed class SignalGate : IClientInterceptor
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>The workflow whose signals are held; null holds nothing.</summary>
    public string? WorkflowId { get; set; }

    /// <summary>How many signals have reached the gate for <see cref="WorkflowId"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    public void Open() => _open.TrySetResult();

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new Outbound(this, nextInterceptor);

    private sealed class Outbound(SignalGate gate, ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override async Task SignalWorkflowAsync(SignalWorkflowInput input)
        {
            if (input.Id == gate.WorkflowId)
            {
                Interlocked.Increment(ref gate._held);
                await gate._open.Task.WaitAsync(input.Options?.Rpc?.CancellationToken ?? CancellationToken.None);
            }
            await base.SignalWorkflowAsync(input);
        }
    }
}
