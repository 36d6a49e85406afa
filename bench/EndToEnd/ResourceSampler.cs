using System.Diagnostics;
using System.Globalization;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// Samples this process (the service: API, worker, embedded Temporal unless it runs apart, simulator, and the load
/// generator) every 100 ms: working set and GC heap, and at start/stop the CPU time of this process, of the PostgreSQL
/// cluster's processes (children of its postmaster), of a Temporal server process when there is one, and of the whole
/// machine (/proc/stat), so a run says who used the cores.
/// </summary>
public sealed class ResourceSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly int? _postmasterPid;
    private readonly int? _temporalServerPid;
    private readonly CpuSnapshot _start;
    private readonly Dictionary<int, (string Name, long Ticks)> _threadsAtStart;
    private readonly long _jittedAtStart = System.Runtime.JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _jitTimeAtStart = System.Runtime.JitInfo.GetCompilationTime();
    private long _peakWorkingSet;
    private long _peakGcHeap;
    private long _peakGcCommitted;

    private ResourceSampler(int? postmasterPid, int? temporalServerPid)
    {
        _postmasterPid = postmasterPid;
        _temporalServerPid = temporalServerPid;
        _threadsAtStart = Threads();
        _start = CpuSnapshot.Take(postmasterPid, temporalServerPid);
        _loop = Task.Run(LoopAsync);
    }

    public static ResourceSampler Start(int? postmasterPid, int? temporalServerPid = null) => new(postmasterPid, temporalServerPid);

    public async Task<ResourceReport> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Sample();
        var end = CpuSnapshot.Take(_postmasterPid, _temporalServerPid);
        var threadsAtEnd = Threads();
        using var self = Process.GetCurrentProcess();
        return new ResourceReport(
            PeakWorkingSetDuringRun: _peakWorkingSet,
            PeakWorkingSetLifetime: self.PeakWorkingSet64,
            PeakGcHeap: _peakGcHeap,
            PeakGcCommitted: _peakGcCommitted,
            Wall: Stopwatch.GetElapsedTime(_start.Timestamp, end.Timestamp),
            ProcessCpu: end.ProcessCpu - _start.ProcessCpu,
            PostgresCpu: _postmasterPid is null ? null : end.PostgresCpu - _start.PostgresCpu,
            MachineBusy: end.MachineBusy - _start.MachineBusy,
            MachineTotal: end.MachineTotal - _start.MachineTotal)
        {
            TemporalServerCpu = _temporalServerPid is null ? null : end.TemporalServerCpu - _start.TemporalServerCpu,
            CpuByThreadGroup = GroupThreads(threadsAtEnd, end.ProcessCpu - _start.ProcessCpu),
            MethodsJitted = System.Runtime.JitInfo.GetCompiledMethodCount() - _jittedAtStart,
            JitTime = System.Runtime.JitInfo.GetCompilationTime() - _jitTimeAtStart,
        };
    }

    /// <summary>
    /// This process's threads (tid → name, CPU ticks). Names tell the parts apart: the Temporal Core's Rust runtime
    /// (tokio), .NET thread-pool workers, socket I/O, GC, and the dedicated threads the SDK starts per workflow activation.
    /// </summary>
    private static Dictionary<int, (string Name, long Ticks)> Threads()
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, ticks);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return threads;
    }

    private IReadOnlyList<(string Group, TimeSpan Cpu)> GroupThreads(Dictionary<int, (string Name, long Ticks)> atEnd, TimeSpan processCpu)
    {
        var groups = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tid, (name, ticks)) in atEnd)
        {
            var delta = ticks - (_threadsAtStart.TryGetValue(tid, out var before) && before.Name == name ? before.Ticks : 0);
            var group = name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '#', '-').Trim();
            groups[group] = groups.GetValueOrDefault(group) + delta;
        }
        var listed = groups.Select(g => (Group: g.Key, Cpu: TimeSpan.FromSeconds(g.Value / 100.0))).ToList();
        var unaccounted = processCpu - TimeSpan.FromSeconds(groups.Values.Sum() / 100.0);
        listed.Add(("threads that ended during the run (e.g. per-activation workflow threads)", unaccounted));
        return [.. listed.Where(g => g.Cpu > TimeSpan.Zero).OrderByDescending(g => g.Cpu)];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(100, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Sample()
    {
        var info = GC.GetGCMemoryInfo();
        _peakWorkingSet = Math.Max(_peakWorkingSet, Environment.WorkingSet);
        _peakGcHeap = Math.Max(_peakGcHeap, Math.Max(GC.GetTotalMemory(false), info.HeapSizeBytes));
        _peakGcCommitted = Math.Max(_peakGcCommitted, info.TotalCommittedBytes);
    }

    /// <summary>The postmaster's pid from <c>data_directory/postmaster.pid</c> (null when not readable, e.g. a remote server).</summary>
    public static int? ReadPostmasterPid(string? dataDirectory)
    {
        try
        {
            if (dataDirectory is null)
            {
                return null;
            }
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record CpuSnapshot(
        long Timestamp, TimeSpan ProcessCpu, TimeSpan PostgresCpu, TimeSpan TemporalServerCpu, TimeSpan MachineBusy, TimeSpan MachineTotal)
    {
        private const double TicksPerSecond = 100; // USER_HZ on Linux

        public static CpuSnapshot Take(int? postmasterPid, int? temporalServerPid)
        {
            using var self = Process.GetCurrentProcess();
            var (busy, total) = Machine();
            return new CpuSnapshot(
                Stopwatch.GetTimestamp(),
                self.TotalProcessorTime,
                postmasterPid is { } pid ? ProcessTree(pid) : TimeSpan.Zero,
                temporalServerPid is { } server ? ProcessTree(server) : TimeSpan.Zero,
                busy,
                total);
        }

        private static (TimeSpan Busy, TimeSpan Total) Machine()
        {
            try
            {
                var fields = File.ReadLines("/proc/stat").First()
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                    .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                var total = fields.Take(8).Sum();
                var idle = fields[3] + fields[4];
                return (Seconds(total - idle), Seconds(total));
            }
            catch (IOException)
            {
                return (TimeSpan.Zero, TimeSpan.Zero);
            }
        }

        /// <summary>CPU of <paramref name="rootPid"/> and its children (a postmaster's backends).</summary>
        private static TimeSpan ProcessTree(int rootPid)
        {
            long ticks = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // Fields after "(comm)": state ppid ... utime(14) stime(15), 1-based over the whole line.
                    var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var ppid = int.Parse(rest[1], CultureInfo.InvariantCulture);
                    if (pid == rootPid || ppid == rootPid)
                    {
                        ticks += long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // The process ended meanwhile.
                }
            }
            return Seconds(ticks);
        }

        private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}

/// <summary>What <see cref="ResourceSampler"/> saw over a run.</summary>
public sealed record ResourceReport(
    long PeakWorkingSetDuringRun,
    long PeakWorkingSetLifetime,
    long PeakGcHeap,
    long PeakGcCommitted,
    TimeSpan Wall,
    TimeSpan ProcessCpu,
    TimeSpan? PostgresCpu,
    TimeSpan MachineBusy,
    TimeSpan MachineTotal)
{
    /// <summary>CPU of this process by thread name during the run (see <see cref="ResourceSampler"/>).</summary>
    public IReadOnlyList<(string Group, TimeSpan Cpu)> CpuByThreadGroup { get; init; } = [];

    /// <summary>CPU of the Temporal server process during the run (<c>--temporal-process</c>), else null.</summary>
    public TimeSpan? TemporalServerCpu { get; init; }

    /// <summary>Peak resident memory of the Temporal server process (<c>--temporal-process</c>), else null.</summary>
    public long? TemporalServerPeakWorkingSet { get; init; }

    /// <summary>Methods the JIT compiled during the run (all tiers, dynamic methods included) and the time it spent.</summary>
    public long MethodsJitted { get; init; }

    public TimeSpan JitTime { get; init; }

    public static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F0} MiB");

    /// <summary>Cores' worth of CPU, e.g. 1.6 of 2.</summary>
    public static double Cores(TimeSpan cpu, TimeSpan wall) => wall <= TimeSpan.Zero ? 0 : cpu / wall;
}
