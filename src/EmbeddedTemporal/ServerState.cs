using System.Collections.Concurrent;
using FlashFundX.EmbeddedTemporal.Runs;
using FlashFundX.EmbeddedTemporal.Tasks;
using FlashFundX.EmbeddedTemporal.Time;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;

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

    /// <summary>Custom search attributes seen so far (implicitly registered), by namespace.</summary>
    public ConcurrentDictionary<(string Namespace, string Name), IndexedValueType> SearchAttributes { get; } = new();
}
