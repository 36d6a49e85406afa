using System.Net.Http.Headers;
using System.Text;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>One generated request: what it targets, how it was made (<see cref="Description"/>), and its bytes.</summary>
public sealed record FuzzRequest(
    OpenApiOperation Operation,
    FuzzCaller Caller,
    string? Authorization,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    byte[]? Body,
    string Description)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Operation.Method, new Uri(Target, UriKind.Relative));
        if (Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            // As curl does for large bodies: a server that answers before reading (401, 413) is heard instead of resetting the upload.
            message.Headers.ExpectContinue = Body.Length > 64 * 1024;
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }
        return message;
    }

    /// <summary>Short enough for a failure message: the target and the body cut, with their lengths.</summary>
    public override string ToString()
    {
        var body = Body is null ? "none" : Body.Length <= 300 ? Encoding.UTF8.GetString(Body) : $"{Encoding.UTF8.GetString(Body[..300])}…({Body.Length} bytes)";
        var target = Target.Length <= 300 ? Target : $"{Target[..300]}…({Target.Length} chars)";
        var headers = string.Join(", ", Headers.Select(h => $"{h.Key}: {(h.Value.Length <= 80 ? h.Value : $"{h.Value[..80]}…({h.Value.Length} chars)")}"));
        return $"{Operation.Method} {target} as {Caller} [{headers}] Content-Type: {ContentType ?? "none"}\n  made by: {Description}\n  body: {body}";
    }
}
