namespace FlashFundX.TestSupport.Service;

/// <summary>A caller of the service: identity-provider id, e-mail and a bearer token the service accepts.</summary>
public sealed record TestUser(Guid Id, string Email, bool IsAdmin, string Token)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"TestUser {{ Id = {Id}, Email = {Email}, IsAdmin = {IsAdmin} }}";
}
