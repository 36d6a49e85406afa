namespace FlashFundX.NowPayments.Client;

/// <summary>The body of <c>POST /auth</c>: the NowPayments account's login. Never logged.</summary>
internal sealed record AuthTokenRequest(string Email, string Password)
{
    public override string ToString() => $"AuthTokenRequest {{ Email = {Email}, Password = *** }}";
}
