namespace FlashFundX.NowPayments.Client;

/// <summary>The answer of <c>POST /auth</c>: a JWT that NowPayments accepts for about five minutes.</summary>
internal sealed record AuthTokenResponse(string? Token);
