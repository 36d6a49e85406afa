using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;

namespace FlashFundX.Workflows.Orders;

/// <summary>
/// Registers <see cref="OrderSearchAttributes.All"/> on the client's namespace (self-hosted or dev server); a server
/// rejects runs that set unregistered attributes. Temporal Cloud namespaces get them through the Cloud UI or tcld.
/// </summary>
public static class OrderSearchAttributeRegistration
{
    public static async Task EnsureRegisteredAsync(ITemporalClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var ns = client.Options.Namespace;
        var existing = await client.Connection.OperatorService
            .ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = ns }, rpc)
            .ConfigureAwait(false);
        var request = new AddSearchAttributesRequest { Namespace = ns };
        foreach (var key in OrderSearchAttributes.All.Where(k => !existing.CustomAttributes.ContainsKey(k.Name)))
        {
            request.SearchAttributes.Add(key.Name, key.ValueType);
        }
        if (request.SearchAttributes.Count > 0)
        {
            await client.Connection.OperatorService.AddSearchAttributesAsync(request, rpc).ConfigureAwait(false);
        }
    }
}
