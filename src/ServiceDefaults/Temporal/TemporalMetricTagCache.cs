using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace FlashFundX.ServiceDefaults.Temporal;

/// <summary>
/// Hands out one <see cref="TemporalMetricTags"/> per content: the parent tag set (by identity, itself from this cache)
/// plus the added tags in the order given. The Temporal core asks for a tag set for every gRPC call, poll and task; there
/// are only a few dozen distinct ones, so a hit costs a hash and a compare instead of a dictionary merge and two arrays.
/// </summary>
/// <remarks>
/// Bounded: task queues and types come and go (tests use a queue per test), so past <see cref="Capacity"/> entries the
/// cache starts over. Tag sets already handed out stay valid; the core holds them itself.
/// </remarks>
internal sealed class TemporalMetricTagCache(int capacity = TemporalMetricTagCache.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    private readonly ConcurrentDictionary<Key, TemporalMetricTags> entries = new(KeyComparer.Instance);
    private int count;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Number of tag sets cached now.</summary>
    public int Count => entries.Count;

    public TemporalMetricTags GetOrCreate(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var parent = appendFrom as TemporalMetricTags;
        // The SDK passes a fresh array; look it up as it is and copy it only to keep it as a key.
        var addedArray = added as KeyValuePair<string, object>[] ?? [.. added];
        if (entries.TryGetValue(new Key(parent, addedArray), out var cached))
        {
            return cached;
        }

        var created = TemporalMetricTags.Create(parent, addedArray);
        if (Interlocked.Increment(ref count) > Capacity)
        {
            entries.Clear();
            Volatile.Write(ref count, 1);
        }
        return entries.GetOrAdd(new Key(parent, (KeyValuePair<string, object>[])addedArray.Clone()), created);
    }

    private readonly record struct Key(TemporalMetricTags? Parent, KeyValuePair<string, object>[] Added);

    private sealed class KeyComparer : IEqualityComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Key x, Key y)
        {
            if (!ReferenceEquals(x.Parent, y.Parent) || x.Added.Length != y.Added.Length)
            {
                return false;
            }
            for (var i = 0; i < x.Added.Length; i++)
            {
                if (!string.Equals(x.Added[i].Key, y.Added[i].Key, StringComparison.Ordinal) || !Equals(x.Added[i].Value, y.Added[i].Value))
                {
                    return false;
                }
            }
            return true;
        }

        public int GetHashCode(Key key)
        {
            var hash = new HashCode();
            hash.Add(key.Parent is null ? 0 : RuntimeHelpers.GetHashCode(key.Parent));
            foreach (var (name, value) in key.Added)
            {
                hash.Add(name, StringComparer.Ordinal);
                hash.Add(value);
            }
            return hash.ToHashCode();
        }
    }
}
