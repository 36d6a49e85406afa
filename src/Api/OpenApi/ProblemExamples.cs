using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace FlashFundX.Api.OpenApi;

/// <summary>Problem-details bodies (RFC 9457) as the API writes them: type, title, status, detail, instance, traceId.</summary>
internal static class ProblemExamples
{
    private const string ExampleTraceId = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static readonly Dictionary<int, (string Type, string Detail)> Known = new()
    {
        [400] = ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "One or more validation errors occurred."),
        [401] = ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "A valid bearer token is required."),
        [403] = ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "The token does not grant access to this resource."),
        [404] = ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Order FFX123456789 was not found."),
        [409] = ("https://tools.ietf.org/html/rfc9110#section-15.5.10", "The order is not in a state that allows this."),
        [413] = ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "The request body is larger than this endpoint accepts."),
        [422] = ("https://tools.ietf.org/html/rfc9110#section-15.5.21", "The request is well-formed but cannot be processed."),
        [429] = ("https://tools.ietf.org/html/rfc6585#section-4", "Too many requests; retry later."),
        [500] = ("https://tools.ietf.org/html/rfc9110#section-15.6.1", "An error occurred while processing your request."),
        [503] = ("https://tools.ietf.org/html/rfc9110#section-15.6.4", "A dependency (database or Temporal) is unavailable; retry later."),
    };

    /// <param name="field">A request field to name in a 400's <c>errors</c>, when the operation has a body.</param>
    public static JsonObject For(int status, string instance, string? field)
    {
        var (type, detail) = Known.TryGetValue(status, out var known) ? known : ("about:blank", ReasonPhrases.GetReasonPhrase(status));
        var body = new JsonObject
        {
            ["type"] = type,
            ["title"] = status == 400 ? "One or more validation errors occurred." : ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = instance,
            ["traceId"] = ExampleTraceId,
        };
        if (status == 400)
        {
            body.Remove("detail");
            var name = field ?? "request";
            body["errors"] = new JsonObject { [name] = new JsonArray($"{name} is missing or invalid.") };
        }
        return body;
    }
}
