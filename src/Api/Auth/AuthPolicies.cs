namespace FlashFundX.Api.Auth;

public static class AuthPolicies
{
    /// <summary>Requires the <c>role</c> claim <c>admin</c>.</summary>
    public const string Admin = "admin";
}
