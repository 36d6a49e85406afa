using FlashFundX.EmbeddedTemporal.Runs;
using FlashFundX.EmbeddedTemporal.Tasks;
using FlashFundX.EmbeddedTemporal.Time;
using Microsoft.Extensions.Logging;

namespace FlashFundX.EmbeddedTemporal;

/// <summary>Shared services of one embedded server instance.</summary>
internal sealed class ServerState(VirtualClock clock, ILoggerFactory loggerFactory, EmbeddedTemporalOptions options)
{
    public EmbeddedTemporalOptions Options { get; } = options;
    public VirtualClock Clock { get; } = clock;
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
    public TaskQueueRegistry<WorkflowQueueItem> WorkflowQueues { get; } = new();
    public TaskQueueRegistry<ActivityQueueItem> ActivityQueues { get; } = new();
    public WorkflowStore Store { get; } = new();

    public Namespaces.NamespaceRegistry Namespaces { get; } = new("default", options.Namespace, "temporal-system");

    public Visibility.SearchAttributeRegistry SearchAttributes { get; } = new();
}
