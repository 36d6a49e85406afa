namespace FlashFundX.Api.Auth;

/// <summary>The JWT claims the API reads; kept as the token spells them (inbound claim mapping is off).</summary>
public static class AuthClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Role = "role";

    public const string AdminRole = "admin";
    public const string UserRole = "user";
}
