using System.Net;
using System.Text;
using Dapper;
using FlashFundX.Api.Tests.Infrastructure;
using Xunit;

namespace FlashFundX.Api.Tests.Security;

/// <summary>
/// JSON bodies whose strings are not text (found by the OpenAPI fuzz test): bytes that are not UTF-8, or an escaped lone
/// surrogate (<c>"\ud800"</c>). The JSON reader accepts both inside a string or key and only fails when the text is read,
/// which answered 500. Now 400 problem details, and nothing written beyond the IPN's own webhook_events record.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InvalidUtf8Tests() : ApiTestBase("invalidutf8")
{
    public static TheoryData<string, string> InvalidIpns => new()
    {
        // {"order_id":"FFX999999997<FF>","payment_id":5001,"payment_status":"finished"}, and the same with the byte in a key
        { "{\"order_id\":\"FFX999999997", "\",\"payment_id\":5001,\"payment_status\":\"finished\"}" },
        { "{\"order_id\":\"FFX999999997\",\"payment_id\":5001,\"payment_status\":\"finished\",\"", "x\":1}" },
    };

    [Theory]
    [MemberData(nameof(InvalidIpns))]
    public async Task Webhook_InvalidUtf8_SignedOrNot_Returns400_RecordsMalformed(string before, string after)
    {
        byte[] body = [.. Encoding.UTF8.GetBytes(before), 0xFF, .. Encoding.UTF8.GetBytes(after)];

        await SendSignedAndUnsigned_Expect400Async(body, detailMentions: "UTF-8");

        await using var connection = await Database.DataSource.OpenConnectionAsync();
        // Neither signature verifies: the signed form is canonical JSON text, which bytes that are not UTF-8 do not have.
        var stored = (await connection.QueryAsync<string>(
            "SELECT body FROM webhook_events WHERE outcome = 'malformed' AND NOT signature_valid AND body = @Body", new { Body = before + "\uFFFD" + after })).ToList();
        Assert.Equal(2, stored.Count);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE outcome <> 'malformed'"));
    }

    [Theory]
    [InlineData("{\"order_id\":\"FFX999999996\",\"payment_id\":5001,\"payment_status\":\"finished\",\"id\":\"\\ud800\"}")]
    [InlineData("{\"order_id\":\"FFX999999995\",\"payment_id\":5001,\"payment_status\":\"finished\",\"\\udc00\":1}")]
    public async Task Webhook_EscapedLoneSurrogate_SignedOrNot_Returns400(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        await SendSignedAndUnsigned_Expect400Async(body, detailMentions: "surrogate");
    }

    [Theory]
    [InlineData("{\"firstName\":\"\\ud800\"}")]
    [InlineData("{\"\\ud800\":\"Ada\"}")]
    public async Task PatchMe_EscapedLoneSurrogate_Returns400_ProfileUnchanged(string json)
    {
        var user = Service.NewUser();
        using var customer = Service.CreateClient(user);

        using var response = await customer.PatchAsync(new Uri("/me", UriKind.Relative), Json.Raw(json, "application/merge-patch+json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT first_name FROM users WHERE id = @Id", new { user.Id }));
    }

    [Theory]
    [InlineData("{\"firstName\":\"Ada", "\"}")]
    [InlineData("{\"first", "Name\":\"Ada\"}")]
    public async Task PatchMe_InvalidUtf8_Returns400_ProfileUnchanged(string before, string after)
    {
        var user = Service.NewUser();
        using var customer = Service.CreateClient(user);
        using var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(before), 0xC0, 0x80, .. Encoding.UTF8.GetBytes(after)]);
        content.Headers.ContentType = new("application/merge-patch+json");

        using var response = await customer.PatchAsync(new Uri("/me", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT first_name FROM users WHERE id = @Id", new { user.Id }));
    }

    /// <summary>Sends <paramref name="body"/> as an IPN signed with the service's secret and unsigned; both must be refused with 400.</summary>
    private async Task SendSignedAndUnsigned_Expect400Async(byte[] body, string detailMentions)
    {
        using var provider = Service.CreateClient();
        using var signed = await provider.SendAsync(IpnBuilder.SignedRequest(body, Service.IpnSecret));
        using var unsigned = await provider.SendAsync(IpnBuilder.Request(body, signature: null));
        var problem = await ProblemAssert.IsProblemAsync(signed, HttpStatusCode.BadRequest);
        Assert.Contains(detailMentions, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.BadRequest);
    }
}
