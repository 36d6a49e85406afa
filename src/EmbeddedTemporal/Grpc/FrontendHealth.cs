using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace FlashFundX.EmbeddedTemporal.Grpc;

/// <summary>
/// grpc.health.v1.Health as Temporal's frontend answers it: SERVING for the server as a whole (the empty service
/// name) and for each Temporal service it hosts; NOT_SERVING once it shuts down; NotFound for any other name.
/// </summary>
internal static class FrontendHealth
{
    private static readonly string[] ServiceNames =
    [
        "",
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services[0].FullName,
        Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services[0].FullName,
    ];

    public static HealthServiceImpl CreateServing()
    {
        var health = new HealthServiceImpl();
        SetAll(health, HealthCheckResponse.Types.ServingStatus.Serving);
        return health;
    }

    public static void ShutDown(HealthServiceImpl health) => SetAll(health, HealthCheckResponse.Types.ServingStatus.NotServing);

    private static void SetAll(HealthServiceImpl health, HealthCheckResponse.Types.ServingStatus status)
    {
        foreach (var name in ServiceNames)
        {
            health.SetStatus(name, status);
        }
    }
}
