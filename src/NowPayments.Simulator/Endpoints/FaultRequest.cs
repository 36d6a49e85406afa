namespace FlashFundX.NowPayments.Simulator.Endpoints;

/// <summary>Body of <c>POST /simulator/faults</c>.</summary>
internal sealed record FaultRequest
{
    public int? StatusCode { get; init; }
    public int? DelayMs { get; init; }
    public int? Count { get; init; }
    public int? DurationSeconds { get; init; }
    public string? PathPrefix { get; init; }

    public SimulatorFault ToFault() => new()
    {
        StatusCode = StatusCode,
        Delay = DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Count = Count,
        Duration = DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        PathPrefix = PathPrefix,
    };
}
