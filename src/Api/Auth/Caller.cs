using System.Security.Claims;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Api.Auth;

/// <summary>The authenticated user behind a request, read from the validated token.</summary>
public sealed record Caller(Guid UserId, string Email, bool IsAdmin)
{
    public string Role => IsAdmin ? AuthClaims.AdminRole : AuthClaims.UserRole;

    /// <summary>
    /// Null when the principal is not authenticated, lacks a uuid <c>sub</c>, or its <c>email</c> is not one plain
    /// address (<see cref="EmailRecipient"/>): such a token is refused, so an address the mails cannot use is never stored.
    /// </summary>
    public static Caller? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var subject = principal.FindFirstValue(AuthClaims.Subject);
        var email = principal.FindFirstValue(AuthClaims.Email);
        email = email?.Trim();
        if (!Guid.TryParse(subject, out var userId) || userId == Guid.Empty || !EmailRecipient.IsValid(email))
        {
            return null;
        }
        var isAdmin = principal.FindAll(AuthClaims.Role).Any(c => string.Equals(c.Value, AuthClaims.AdminRole, StringComparison.Ordinal));
        return new Caller(userId, email!, isAdmin);
    }

    /// <summary>For endpoints behind <c>RequireAuthorization</c>, where authentication has already succeeded.</summary>
    public static Caller Require(ClaimsPrincipal principal) =>
        From(principal) ?? throw new InvalidOperationException("The endpoint requires an authenticated caller.");
}
