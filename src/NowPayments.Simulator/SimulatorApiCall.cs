namespace FlashFundX.NowPayments.Simulator;

/// <summary>One call to a provider endpoint (<c>/invoice</c>, <c>/payment/{id}</c>, <c>/status</c>) and the status it got.</summary>
public sealed record SimulatorApiCall(string Method, string Path, int StatusCode, bool Faulted, DateTimeOffset At);
