namespace FlashFundX.NowPayments.Client;

/// <summary>The answer of <c>GET /status</c>; NowPayments says <c>{"message":"OK"}</c> when it is up.</summary>
public sealed record ApiStatus(string? Message)
{
    public bool IsOk => string.Equals(Message, "OK", StringComparison.OrdinalIgnoreCase);
}
