namespace FlashFundX.NowPayments.Simulator;

/// <summary>Hands out the active <see cref="SimulatorFault"/>s, oldest first, to provider calls.</summary>
internal sealed class FaultInjector(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = [];

    public void Add(SimulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.StatusCode is null && fault.Delay is null)
        {
            throw new ArgumentException("A fault needs a StatusCode, a Delay or both.", nameof(fault));
        }

        lock (_gate)
        {
            var until = fault.Duration is { } duration ? time.GetUtcNow() + duration : (DateTimeOffset?)null;
            var remaining = fault.Count ?? (fault.Duration is null ? 1 : null);
            _faults.Add(new ActiveFault(fault, remaining, until));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public SimulatorFault? TakeFor(string path)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _faults.RemoveAll(f => f.Until is { } until && until <= now || f.Remaining is <= 0);
            var active = _faults.FirstOrDefault(f =>
                f.Fault.PathPrefix is null || path.StartsWith(f.Fault.PathPrefix, StringComparison.OrdinalIgnoreCase));
            if (active is null)
            {
                return null;
            }

            if (active.Remaining is { } remaining)
            {
                active.Remaining = remaining - 1;
            }

            return active.Fault;
        }
    }

    private sealed class ActiveFault(SimulatorFault fault, int? remaining, DateTimeOffset? until)
    {
        public SimulatorFault Fault { get; } = fault;
        public int? Remaining { get; set; } = remaining;
        public DateTimeOffset? Until { get; } = until;
    }
}
