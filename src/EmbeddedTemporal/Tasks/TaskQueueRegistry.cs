using System.Collections.Concurrent;

namespace FlashFundX.EmbeddedTemporal.Tasks;

/// <summary>Task queues by (namespace, name), created on first use.</summary>
internal sealed class TaskQueueRegistry<T> where T : class
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), TaskQueue<T>> _queues = new();

    public TaskQueue<T> Get(string @namespace, string name) => _queues.GetOrAdd((@namespace, name), _ => new TaskQueue<T>());
}
