using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Common.V1;

namespace FlashFundX.EmbeddedTemporal.Grpc;

/// <summary>gRPC errors carrying Temporal error details in the <c>grpc-status-details-bin</c> trailer.</summary>
internal static class RpcErrors
{
    public static RpcException Create(StatusCode code, string message, params IMessage[] details)
    {
        var status = new GrpcStatus { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Status(code, message), trailers);
    }

    /// <summary>The Temporal error details an error carries.</summary>
    public static IEnumerable<Any> DetailsOf(RpcException error)
    {
        var trailer = error.Trailers.GetValueBytes("grpc-status-details-bin");
        return trailer == null ? [] : GrpcStatus.Parser.ParseFrom(trailer).Details;
    }

    public static RpcException NotFound(string message) =>
        Create(StatusCode.NotFound, message, new Temporalio.Api.ErrorDetails.V1.NotFoundFailure());

    public static RpcException InvalidArgument(string message) => Create(StatusCode.InvalidArgument, message);
}
