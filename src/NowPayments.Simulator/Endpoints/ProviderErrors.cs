using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FlashFundX.NowPayments.Simulator.Endpoints;

/// <summary>NowPayments' error body: <c>{"status":false,"statusCode":…,"code":"…","message":"…"}</c>.</summary>
internal static class ProviderErrors
{
    public static IResult Error(int statusCode, string code, string message) =>
        Json(new JsonObject
        {
            ["status"] = false,
            ["statusCode"] = statusCode,
            ["code"] = code,
            ["message"] = message,
        }, statusCode);

    public static IResult Json(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(SimulatorJson.NodeOptions), "application/json", statusCode: statusCode);
}
