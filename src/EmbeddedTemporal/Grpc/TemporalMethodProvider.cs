using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace FlashFundX.EmbeddedTemporal.Grpc;

/// <summary>Marker type the gRPC endpoints are mapped against.</summary>
internal sealed class TemporalGrpcEndpoint;

/// <summary>
/// Binds every unary method of Temporal's service descriptors (shipped inside the Temporalio assembly) by hand,
/// so no .proto files are needed; dispatch goes through <see cref="RpcHandlerRegistry"/>.
/// </summary>
internal sealed class TemporalMethodProvider(RpcHandlerRegistry registry) : IServiceMethodProvider<TemporalGrpcEndpoint>
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor[] Services =
    [
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services[0],
        Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services[0],
        Temporalio.Api.TestService.V1.ServiceReflection.Descriptor.Services[0],
    ];

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TemporalGrpcEndpoint> context)
    {
        foreach (var service in Services)
        {
            foreach (var method in service.Methods)
            {
                if (method.IsClientStreaming || method.IsServerStreaming)
                {
                    continue;
                }
                var fullName = $"/{service.FullName}/{method.Name}";
                var grpcMethod = new Method<IMessage, IMessage>(
                    MethodType.Unary, service.FullName, method.Name,
                    CreateMarshaller(method.InputType.Parser), CreateMarshaller(method.OutputType.Parser));
                context.AddUnaryMethod(grpcMethod, [], (_, request, callContext) => registry.InvokeAsync(fullName, request, callContext));
            }
        }
    }

    private static Marshaller<IMessage> CreateMarshaller(MessageParser parser) =>
        new(
            (message, ctx) =>
            {
                ctx.SetPayloadLength(message.CalculateSize());
                message.WriteTo(ctx.GetBufferWriter());
                ctx.Complete();
            },
            ctx => parser.ParseFrom(ctx.PayloadAsReadOnlySequence()));
}
