using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal.Grpc;

internal delegate Task<IMessage> RpcHandler(IMessage request, ServerCallContext context);

/// <summary>Maps full gRPC method names ("/pkg.Service/Method") to handlers; unknown ones answer UNIMPLEMENTED.</summary>
internal sealed class RpcHandlerRegistry(ILogger logger)
{
    private readonly Dictionary<string, RpcHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _reportedUnimplemented = new(StringComparer.Ordinal);
    private readonly List<Action<string, IMessage>> _guards = [];

    public void Add<TRequest, TResponse>(string service, string method, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : IMessage where TResponse : IMessage =>
        _handlers[$"/{service}/{method}"] = async (request, context) => await handler((TRequest)request, context).ConfigureAwait(false);

    public void Add<TRequest, TResponse>(string service, string method, Func<TRequest, ServerCallContext, TResponse> handler)
        where TRequest : IMessage where TResponse : IMessage =>
        _handlers[$"/{service}/{method}"] = (request, context) => Task.FromResult<IMessage>(handler((TRequest)request, context));

    /// <summary>A check every request to an implemented method passes before its handler runs; it throws to refuse.</summary>
    public void AddGuard(Action<string, IMessage> guard) => _guards.Add(guard);

    public Task<IMessage> InvokeAsync(string fullName, IMessage request, ServerCallContext context)
    {
        if (_handlers.TryGetValue(fullName, out var handler))
        {
            foreach (var guard in _guards)
            {
                guard(fullName, request);
            }
            return handler(request, context);
        }
        if (_reportedUnimplemented.TryAdd(fullName, true))
        {
            logger.LogWarning("Embedded Temporal does not implement {Method}; answering UNIMPLEMENTED", fullName);
        }
        throw new RpcException(new Status(StatusCode.Unimplemented, $"{fullName} is not implemented by the embedded Temporal server"));
    }
}
