using System.Text;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using CsCheck;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>Who sends a fuzzed request: the token (or none) in its Authorization header.</summary>
public enum FuzzCaller
{
    /// <summary>A valid token with the role the operation needs (admin for admin operations).</summary>
    Valid,
    User,
    Admin,
    Missing,
    Expired,
    WrongSignature,
    AlgNone,
    Garbage,
}

/// <summary>The fuzz test's identities and their tokens, signed for the service under test (or deliberately not).</summary>
public sealed class FuzzCallers(string signingKey)
{
    public Guid UserId { get; } = Guid.NewGuid();

    public Guid AdminId { get; } = Guid.NewGuid();

    public string UserToken => FulfillmentApi.IssueToken(signingKey, UserId, "fuzz-user@example.test");

    public string AdminToken => FulfillmentApi.IssueToken(signingKey, AdminId, "fuzz-admin@example.test", admin: true);

    /// <summary>Weighted towards valid tokens, so most requests get past authentication to the input handling.</summary>
    public static Gen<FuzzCaller> Kinds { get; } = CsCheck.Gen.Frequency(
        (8, CsCheck.Gen.Const(FuzzCaller.Valid)), (2, CsCheck.Gen.Const(FuzzCaller.User)), (2, CsCheck.Gen.Const(FuzzCaller.Admin)),
        (2, CsCheck.Gen.Const(FuzzCaller.Missing)), (2, CsCheck.Gen.Const(FuzzCaller.Expired)), (2, CsCheck.Gen.Const(FuzzCaller.WrongSignature)),
        (1, CsCheck.Gen.Const(FuzzCaller.AlgNone)), (1, CsCheck.Gen.Const(FuzzCaller.Garbage)));

    /// <summary>The Authorization header for <paramref name="caller"/> on <paramref name="operation"/>, or null for none.</summary>
    public string? Authorization(FuzzCaller caller, OpenApiOperation operation, int variant)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return caller switch
        {
            FuzzCaller.Valid => "Bearer " + (operation.RequiresAdmin ? AdminToken : UserToken),
            FuzzCaller.User => "Bearer " + UserToken,
            FuzzCaller.Admin => "Bearer " + AdminToken,
            FuzzCaller.Missing => null,
            FuzzCaller.Expired => "Bearer " + FulfillmentApi.IssueToken(signingKey, UserId, "fuzz-user@example.test",
                lifetime: TimeSpan.FromMinutes(5), issuedAt: DateTime.UtcNow.AddHours(-1)),
            FuzzCaller.WrongSignature => "Bearer " + FulfillmentApi.IssueToken(TestIdentities.OtherSigningKey, AdminId, "fuzz-admin@example.test", admin: true),
            FuzzCaller.AlgNone => "Bearer " + Unsigned(AdminId),
            _ => Garbage(variant),
        };
    }

    private string Garbage(int variant)
    {
        var token = AdminToken;
        var parts = token.Split('.');
        // The payload of a valid token with one character changed: the signature no longer matches.
        var payload = parts[1].ToCharArray();
        payload[variant % payload.Length] = payload[variant % payload.Length] == 'A' ? 'B' : 'A';
        string[] values =
        [
            "Bearer", "Bearer ", "Bearer x", "Bearer a.b.c", "Basic YWRtaW46YWRtaW4=", "Bearer " + new string('A', 6000),
            $"Bearer {parts[0]}.{new string(payload)}.{parts[2]}", $"Bearer {parts[0]}.{parts[1]}", "Bearer " + token + ".x",
            "Bearer ....", "Token " + token, "Bearer " + token[..^1],
        ];
        return values[variant % values.Length];
    }

    private static string Unsigned(Guid subject)
    {
        static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return Base64Url("""{"alg":"none","typ":"JWT"}""") + "." +
               Base64Url($$"""{"sub":"{{subject}}","email":"fuzz-admin@example.test","role":"admin","exp":{{expires}}}""") + ".";
    }
}
