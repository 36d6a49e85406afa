using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Common;

namespace FlashFundX.ServiceDefaults.SearchAttributes;

/// <summary>Registers custom search attributes on the client's namespace through the operator service, when missing.</summary>
public static class SearchAttributeRegistrar
{
    public static async Task<SearchAttributeRegistrationResult> EnsureRegisteredAsync(
        ITemporalClient client,
        IEnumerable<SearchAttributeKey> keys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(keys);
        var ns = client.Options.Namespace;
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var listed = await client.Connection.OperatorService.ListSearchAttributesAsync(
            new ListSearchAttributesRequest { Namespace = ns }, rpc).ConfigureAwait(false);

        var added = new List<string>();
        var present = new List<string>();
        var wrongType = new List<string>();
        var request = new AddSearchAttributesRequest { Namespace = ns };
        foreach (var key in keys)
        {
            if (listed.CustomAttributes.TryGetValue(key.Name, out var type) || listed.SystemAttributes.TryGetValue(key.Name, out type))
            {
                (type == key.ValueType ? present : wrongType).Add(key.Name);
                continue;
            }
            request.SearchAttributes[key.Name] = key.ValueType;
            added.Add(key.Name);
        }
        if (added.Count > 0)
        {
            await client.Connection.OperatorService.AddSearchAttributesAsync(request, rpc).ConfigureAwait(false);
        }
        return new SearchAttributeRegistrationResult(added, present, wrongType);
    }
}
