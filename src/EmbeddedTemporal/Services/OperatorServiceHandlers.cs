using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Visibility;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>temporal.api.operatorservice.v1.OperatorService: search attribute registration.</summary>
internal sealed class OperatorServiceHandlers(ServerState server)
{
    private const string Service = "temporal.api.operatorservice.v1.OperatorService";

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<AddSearchAttributesRequest, AddSearchAttributesResponse>(Service, "AddSearchAttributes", (request, _) =>
        {
            foreach (var (name, type) in request.SearchAttributes)
            {
                if (SearchAttributeRegistry.IsServerDefined(name))
                {
                    throw RpcErrors.InvalidArgument($"Search attribute {name} is reserved by system.");
                }
                if (type == IndexedValueType.Unspecified)
                {
                    throw RpcErrors.InvalidArgument($"Unknown search attribute type: {type}");
                }
            }
            foreach (var (name, type) in request.SearchAttributes)
            {
                server.SearchAttributes.Add(request.Namespace, name, type);
            }
            return new AddSearchAttributesResponse();
        });
        registry.Add<RemoveSearchAttributesRequest, RemoveSearchAttributesResponse>(Service, "RemoveSearchAttributes", (request, context) =>
        {
            foreach (var name in request.SearchAttributes)
            {
                server.SearchAttributes.Remove(request.Namespace, name);
            }
            return new RemoveSearchAttributesResponse();
        });
        registry.Add<ListSearchAttributesRequest, ListSearchAttributesResponse>(Service, "ListSearchAttributes", (request, _) =>
        {
            var response = new ListSearchAttributesResponse();
            foreach (var (name, type) in SearchAttributeRegistry.Defined)
            {
                response.SystemAttributes[name] = type;
            }
            foreach (var (name, type) in server.SearchAttributes.Custom(request.Namespace))
            {
                response.CustomAttributes[name] = type;
            }
            return response;
        });
    }
}
