using System.Collections.Concurrent;
using FlashFundX.EmbeddedTemporal.Grpc;
using FlashFundX.EmbeddedTemporal.Namespaces;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Temporalio.Api.ErrorDetails.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Services;

/// <summary>
/// Namespace RPCs, and the check every other request goes through: the namespace it names must exist, as the
/// frontend's namespace validation enforces on a real server.
/// </summary>
internal sealed class NamespaceServiceHandlers(ServerState server)
{
    private const string Service = WorkflowServiceHandlers.Service;
    private static readonly ConcurrentDictionary<MessageDescriptor, (FieldDescriptor? Namespace, bool HasTaskToken)> Fields = new();

    public void Register(RpcHandlerRegistry registry)
    {
        registry.Add<RegisterNamespaceRequest, RegisterNamespaceResponse>(Service, "RegisterNamespace", (request, _) =>
        {
            if (string.IsNullOrEmpty(request.Namespace))
            {
                throw RpcErrors.InvalidArgument("Namespace not set on request.");
            }
            if (!server.Namespaces.TryRegister(
                    request.Namespace, Runs.ProtoTime.Positive(request.WorkflowExecutionRetentionPeriod), request.Description, request.OwnerEmail))
            {
                throw RpcErrors.Create(StatusCode.AlreadyExists, "Namespace already exists.", new NamespaceAlreadyExistsFailure());
            }
            return new RegisterNamespaceResponse();
        });
        registry.Add<DescribeNamespaceRequest, DescribeNamespaceResponse>(Service, "DescribeNamespace", (request, _) =>
        {
            if (!string.IsNullOrEmpty(request.Id))
            {
                return (server.Namespaces.FindById(request.Id)
                    ?? throw RpcErrors.Create(StatusCode.NotFound, $"Namespace {request.Id} is not found.", new NamespaceNotFoundFailure())).Describe();
            }
            if (string.IsNullOrEmpty(request.Namespace))
            {
                throw RpcErrors.InvalidArgument("Namespace not set on request.");
            }
            return server.Namespaces.Get(request.Namespace).Describe();
        });
        registry.Add<ListNamespacesRequest, ListNamespacesResponse>(Service, "ListNamespaces", (_, _) =>
        {
            var response = new ListNamespacesResponse();
            response.Namespaces.AddRange(server.Namespaces.All.Select(n => n.Describe()));
            return response;
        });
        registry.AddGuard(CheckNamespace);
    }

    private void CheckNamespace(string method, IMessage request)
    {
        if (method.EndsWith("/RegisterNamespace", StringComparison.Ordinal) || method.EndsWith("/DescribeNamespace", StringComparison.Ordinal))
        {
            return;
        }
        var (field, hasTaskToken) = Fields.GetOrAdd(request.Descriptor, d =>
            (d.FindFieldByName("namespace") is { FieldType: FieldType.String } ns ? ns : null, d.FindFieldByName("task_token") != null));
        if (field == null)
        {
            return;
        }
        var name = (string)field.Accessor.GetValue(request);
        if (string.IsNullOrEmpty(name))
        {
            // A task token carries its namespace, so a task response may leave the field empty.
            if (hasTaskToken)
            {
                return;
            }
            throw RpcErrors.InvalidArgument("Namespace not set on request.");
        }
        server.Namespaces.Get(name);
    }
}
