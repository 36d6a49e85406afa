namespace FlashFundX.NowPayments.Simulator;

/// <summary>
/// A fault for the provider endpoints: answer <see cref="StatusCode"/>, or first wait <see cref="Delay"/> (to exceed
/// the client's timeout), for the next <see cref="Count"/> calls or during <see cref="Duration"/>. The control surface is never faulted.
/// </summary>
public sealed record SimulatorFault
{
    /// <summary>Status to answer; null with a <see cref="Delay"/> answers normally after the delay.</summary>
    public int? StatusCode { get; init; }

    public TimeSpan? Delay { get; init; }

    /// <summary>Number of calls to fault; when both this and <see cref="Duration"/> are null, one call.</summary>
    public int? Count { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>Only calls whose path starts with this (e.g. <c>/payment</c>); all provider endpoints when null.</summary>
    public string? PathPrefix { get; init; }

    public static SimulatorFault ServerErrors(int count = 1) => new() { StatusCode = 500, Count = count };

    public static SimulatorFault Status(int statusCode, int count = 1) => new() { StatusCode = statusCode, Count = count };

    public static SimulatorFault Delays(TimeSpan delay, int count = 1) => new() { Delay = delay, Count = count };
}
