using System.Security.Cryptography;
using System.Text;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.WorkflowService.V1;

namespace FlashFundX.EmbeddedTemporal.Namespaces;

/// <summary>A registered namespace.</summary>
internal sealed record NamespaceRecord(string Name, TimeSpan Retention, string Description, string OwnerEmail)
{
    /// <summary>Stable for a name, so a restarted server gives a namespace the same id.</summary>
    public string Id { get; } = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(Name)).AsSpan(0, 16)).ToString();

    public DescribeNamespaceResponse Describe() => new()
    {
        NamespaceInfo = new NamespaceInfo
        {
            Name = Name,
            Id = Id,
            State = NamespaceState.Registered,
            Description = Description,
            OwnerEmail = OwnerEmail,
            Capabilities = new NamespaceInfo.Types.Capabilities(),
        },
        Config = new NamespaceConfig
        {
            WorkflowExecutionRetentionTtl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Retention),
        },
    };
}
