using System.Net.Http.Headers;
using FlashFundX.TestSupport.Service;

namespace FlashFundX.Api.Tests.Infrastructure;

/// <summary>The callers of the security matrix, with tokens signed for the app under test.</summary>
public sealed class TestIdentities(string signingKey)
{
    public const string OtherSigningKey = "a-completely-different-signing-key-0123456789";

    public Guid UserAId { get; } = Guid.NewGuid();
    public Guid UserBId { get; } = Guid.NewGuid();
    public Guid AdminId { get; } = Guid.NewGuid();

    public string UserA => FulfillmentApi.IssueToken(signingKey, UserAId, "alice@example.test");
    public string UserB => FulfillmentApi.IssueToken(signingKey, UserBId, "bob@example.test");
    public string Admin => FulfillmentApi.IssueToken(signingKey, AdminId, "ops@example.test", admin: true);

    /// <summary>User A's identity, expired an hour ago.</summary>
    public string Expired => FulfillmentApi.IssueToken(signingKey, UserAId, "alice@example.test", lifetime: TimeSpan.FromMinutes(5), issuedAt: DateTime.UtcNow.AddHours(-1));

    /// <summary>An admin token signed with a key the app does not know.</summary>
    public string WrongKey => FulfillmentApi.IssueToken(OtherSigningKey, AdminId, "ops@example.test", admin: true);

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
