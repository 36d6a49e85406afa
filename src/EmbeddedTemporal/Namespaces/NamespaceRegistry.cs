using System.Collections.Concurrent;
using FlashFundX.EmbeddedTemporal.Grpc;
using Grpc.Core;
using Temporalio.Api.ErrorDetails.V1;

namespace FlashFundX.EmbeddedTemporal.Namespaces;

/// <summary>
/// The namespaces a client may name. Like the dev server, it starts with <c>default</c> (plus the configured one);
/// others come from RegisterNamespace. Any other name answers NotFound, as a real server does.
/// </summary>
internal sealed class NamespaceRegistry
{
    private static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(1);
    private readonly ConcurrentDictionary<string, NamespaceRecord> _byName = new(StringComparer.Ordinal);

    public NamespaceRegistry(params string[] initial)
    {
        foreach (var name in initial)
        {
            _byName.TryAdd(name, new NamespaceRecord(name, DefaultRetention, "", ""));
        }
    }

    public IEnumerable<NamespaceRecord> All => _byName.Values.OrderBy(n => n.Name, StringComparer.Ordinal);

    /// <returns>False when a namespace of that name exists already.</returns>
    public bool TryRegister(string name, TimeSpan? retention, string description, string ownerEmail) =>
        _byName.TryAdd(name, new NamespaceRecord(name, retention ?? DefaultRetention, description, ownerEmail));

    public NamespaceRecord? Find(string name) => _byName.TryGetValue(name, out var record) ? record : null;

    public NamespaceRecord? FindById(string id) => _byName.Values.FirstOrDefault(n => n.Id == id);

    public NamespaceRecord Get(string name) => Find(name) ?? throw NotFound(name);

    public static RpcException NotFound(string name) =>
        RpcErrors.Create(StatusCode.NotFound, $"Namespace {name} is not found.", new NamespaceNotFoundFailure { Namespace = name });
}
