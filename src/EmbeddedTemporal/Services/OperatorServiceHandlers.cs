using FlashFundX.EmbeddedTemporal.Grpc;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>temporal.api.operatorservice.v1.OperatorService: search attribute registration (custom ones are also implicit).</summary>
internal sealed class OperatorServiceHandlers(ServerState server)
{
    private const string Service = "temporal.api.operatorservice.v1.OperatorService";

    private static readonly Dictionary<string, IndexedValueType> SystemAttributes = new()
    {
        ["WorkflowId"] = IndexedValueType.Keyword,
        ["RunId"] = IndexedValueType.Keyword,
        ["WorkflowType"] = IndexedValueType.Keyword,
        ["ExecutionStatus"] = IndexedValueType.Keyword,
        ["TaskQueue"] = IndexedValueType.Keyword,
        ["StartTime"] = IndexedValueType.Datetime,
        ["CloseTime"] = IndexedValueType.Datetime,
        ["ExecutionTime"] = IndexedValueType.Datetime,
        ["HistoryLength"] = IndexedValueType.Int,
        ["TemporalChangeVersion"] = IndexedValueType.KeywordList,
    };

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<AddSearchAttributesRequest, AddSearchAttributesResponse>(Service, "AddSearchAttributes", (request, _) =>
        {
            foreach (var (name, type) in request.SearchAttributes)
            {
                server.SearchAttributes[(request.Namespace, name)] = type;
            }
            return new AddSearchAttributesResponse();
        });
        registry.Add<RemoveSearchAttributesRequest, RemoveSearchAttributesResponse>(Service, "RemoveSearchAttributes", (request, context) =>
        {
            foreach (var name in request.SearchAttributes)
            {
                server.SearchAttributes.TryRemove((request.Namespace, name), out _);
            }
            return new RemoveSearchAttributesResponse();
        });
        registry.Add<ListSearchAttributesRequest, ListSearchAttributesResponse>(Service, "ListSearchAttributes", (request, _) =>
        {
            var response = new ListSearchAttributesResponse();
            response.SystemAttributes.Add(SystemAttributes);
            foreach (var ((ns, name), type) in server.SearchAttributes)
            {
                if (ns == request.Namespace && !SystemAttributes.ContainsKey(name))
                {
                    response.CustomAttributes[name] = type;
                }
            }
            return response;
        });
    }
}
