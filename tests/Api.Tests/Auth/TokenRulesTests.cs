using System.Net;
using FlashFundX.Api.Tests.Infrastructure;
using FlashFundX.TestSupport.Service;
using Xunit;

namespace FlashFundX.Api.Tests.Auth;

/// <summary>
/// Issue 24, tokens: correctly signed tokens are still refused (401 problem details) unless they name the configured
/// issuer and audience, carry <c>typ: JWT</c>, an <c>iat</c> and an <c>exp</c> at most 24 hours apart, and a plain e-mail address.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenRulesTests() : ApiTestBase("tokens")
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    public async Task Me_TypeJwtInAnyCase_Accepted(string type)
    {
        var token = Token(HandMadeJwt.Header(type), Claims());

        using var response = await GetMeAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("JWS")]
    [InlineData("logout+jwt")]
    [InlineData(null)]
    public async Task Me_TypeOtherThanJwtOrMissing_Refused401(string? type)
    {
        var token = Token(HandMadeJwt.Header(type), Claims());

        using var response = await GetMeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_LifetimeExactlyADay_Accepted()
    {
        var token = Token(HandMadeJwt.Header(), Claims(lifetime: Day));

        using var response = await GetMeAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Me_LifetimeOverADay_Refused401()
    {
        var token = Token(HandMadeJwt.Header(), Claims(lifetime: Day + TimeSpan.FromSeconds(1)));

        using var response = await GetMeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("exp")]
    public async Task Me_WithoutIssuedAtOrExpiry_Refused401(string claim)
    {
        var claims = Claims();
        claims.Remove(claim);
        var token = Token(HandMadeJwt.Header(), claims);

        using var response = await GetMeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    /// <summary>A short lifetime dated in the future (valid from now on) would otherwise be good until whenever its issuer chose.</summary>
    [Fact]
    public async Task Me_IssuedInTheFuture_Refused401()
    {
        var claims = Claims(issuedAt: DateTimeOffset.UtcNow.AddDays(30), lifetime: TimeSpan.FromHours(1));
        claims["nbf"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var token = Token(HandMadeJwt.Header(), claims);

        using var response = await GetMeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("iss", "https://someone-else.example/")]
    [InlineData("iss", null)]
    [InlineData("aud", "another-api")]
    [InlineData("aud", null)]
    public async Task Me_WrongOrMissingIssuerOrAudience_Refused401(string claim, string? value)
    {
        var claims = Claims();
        if (value is null)
        {
            claims.Remove(claim);
        }
        else
        {
            claims[claim] = value;
        }
        var token = Token(HandMadeJwt.Header(), claims);

        using var response = await GetMeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("victim@example.test, attacker@evil.test")]
    [InlineData("Eve <eve@evil.test>")]
    [InlineData("eve@evil.test\r\nBcc: all@example.test")]
    [InlineData("eve@localhost")]
    [InlineData("\"quoted local\"@example.test")]
    public async Task Me_EmailClaimNotOnePlainAddress_Refused401_NoUserRowStored(string email)
    {
        var userId = Guid.NewGuid();
        var token = Token(HandMadeJwt.Header(), Claims(userId: userId, email: email));

        using var response = await GetMeAsync(token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0L, await OrderSteps.ScalarAsync<long>(Database, "SELECT count(*) FROM users WHERE id = @userId", new { userId }));
    }

    private static Dictionary<string, object?> Claims(
        TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, Guid? userId = null, string? email = null) =>
        HandMadeJwt.Claims(
            FulfillmentApi.TokenIssuer, FulfillmentApi.TokenAudience, userId ?? Guid.NewGuid(), email ?? "trader@example.test",
            issuedAt ?? DateTimeOffset.UtcNow.AddMinutes(-1), lifetime ?? TimeSpan.FromHours(1));

    private string Token(Dictionary<string, object?> header, Dictionary<string, object?> claims) => HandMadeJwt.Sign(Service.SigningKey, header, claims);

    private async Task<HttpResponseMessage> GetMeAsync(string token)
    {
        using var client = Service.CreateClient(token);
        return await client.GetAsync(new Uri("/me", UriKind.Relative));
    }
}
