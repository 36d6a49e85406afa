using System.Text.Json.Nodes;
using CsCheck;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>How a request to an operation is signed in a header: <see cref="Sign"/>(body, secret) with the right secret or a wrong one.</summary>
public sealed record BodySigner(string HeaderName, string Secret, Func<byte[], string, string> Sign);

/// <summary>What the generator needs beyond the document: identities, real values for parameters, and the IPN's body and secret.</summary>
public sealed record FuzzSetup(
    FuzzCallers Callers,
    IReadOnlyDictionary<string, IReadOnlyList<string>> KnownValues,
    IReadOnlyDictionary<string, JsonNode> Examples,
    IReadOnlyDictionary<string, BodySigner> Signers);

/// <summary>
/// Generates malformed requests for one operation from what the OpenAPI document says about it: each path parameter
/// (a real value or a bad one), its query parameters (missing, bad, duplicated, unknown ones added), header
/// parameters, the body (the example broken by <see cref="MalformedBody"/>) with a right or wrong content type, and
/// the caller's token; a signed operation gets no, a garbage, a wrong-secret or a correct signature of the bytes sent.
/// </summary>
public static class FuzzRequestGen
{
    private enum Signature { None, Garbage, WrongSecret, Valid }

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
        "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/jsonx", "application/", "json", "*/*",
        "application/problem+json", "text/json", "application/json;;", "",
    ];

    public static Gen<FuzzRequest> For(OpenApiOperation operation, JsonNode document, FuzzSetup setup)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(setup);
        var path = Sequence(operation.Parameters.Where(p => p.In == "path")
            .Select(p => MalformedValues.PathSegment(Known(p, document, setup), IsInteger(p)).Select(v => (Name: p.Name, Value: v))));
        var query = Gen.Select(
            Sequence(operation.Parameters.Where(p => p.In == "query").Select(QueryParameter)),
            Gen.Select(MalformedValues.UnknownWord, MalformedValues.QueryValue(false)).Array[0, 2],
            (documented, extra) => documented.Where(q => q is not null).Select(q => q!.Value).Concat(extra.Select(e => (Name: e.Item1, Value: e.Item2))).ToList());
        var headers = Sequence(operation.Parameters.Where(p => p.In == "header")
            .Select(p => Gen.Frequency((1, Gen.Const(() => (string?)null)), (3, MalformedValues.HeaderValue.Select(v => (string?)v))).Select(v => (Name: p.Name, Value: (string?)v))));

        var example = operation.Body?.Example ?? setup.Examples.GetValueOrDefault(operation.OperationId);
        var hasBody = operation.Body is not null || example is not null;
        var contentTypes = operation.Body?.ContentTypes ?? ["application/json"];
        var contentType = hasBody
            ? Gen.Frequency((10, Gen.OneOf(contentTypes.ToArray()).Select(c => (string?)c)), (2, Gen.OneOf(WrongContentTypes).Select(c => (string?)c)), (1, Gen.Const(() => (string?)null)))
            : Gen.Frequency((8, Gen.Const(() => (string?)null)), (1, Gen.OneOf([.. WrongContentTypes, "application/json"]).Select(c => (string?)c)));
        var body = hasBody
            ? MalformedBody.From(example).Select(b => (GeneratedBody?)b)
            : Gen.Frequency((8, Gen.Const(() => (GeneratedBody?)null)), (1, MalformedBody.From(null).Select(b => (GeneratedBody?)b)));
        var signer = setup.Signers.GetValueOrDefault(operation.OperationId);
        var signature = signer is null
            ? Gen.Const(Signature.None)
            : Gen.Frequency((1, Gen.Const(Signature.None)), (1, Gen.Const(Signature.Garbage)), (1, Gen.Const(Signature.WrongSecret)), (5, Gen.Const(Signature.Valid)));

        return Gen.Select(
            Gen.Select(FuzzCallers.Kinds, Gen.Int[0, 1 << 20], signature),
            Gen.Select(path, query, headers),
            Gen.Select(contentType, body),
            (who, parameters, content) => Build(operation, setup, signer, who, parameters, content));
    }

    private static FuzzRequest Build(
        OpenApiOperation operation,
        FuzzSetup setup,
        BodySigner? signer,
        (FuzzCaller Caller, int Variant, Signature Signature) who,
        (List<(string Name, string Value)> Path, List<(string Name, string Value)> Query, List<(string Name, string? Value)> Headers) parameters,
        (string? ContentType, GeneratedBody? Body) content)
    {
        var target = parameters.Path.Aggregate(operation.PathTemplate, (t, p) => t.Replace("{" + p.Name + "}", p.Value, StringComparison.Ordinal));
        if (parameters.Query.Count > 0)
        {
            target += "?" + string.Join("&", parameters.Query.Select(q => MalformedValues.Escape(q.Name) + "=" + MalformedValues.Escape(q.Value)));
        }
        var headers = parameters.Headers.Where(h => h.Value is not null).Select(h => new KeyValuePair<string, string>(h.Name, h.Value!)).ToList();
        var description = new List<string>();
        if (content.Body is { } generated)
        {
            description.Add(generated.Description);
        }
        if (signer is not null && who.Signature != Signature.None)
        {
            var bytes = content.Body?.Bytes ?? [];
            var value = who.Signature switch
            {
                Signature.Valid => signer.Sign(bytes, signer.Secret),
                Signature.WrongSecret => signer.Sign(bytes, signer.Secret + "-wrong"),
                _ => who.Variant % 2 == 0 ? "deadbeef" : new string('0', 128),
            };
            headers.Add(new(signer.HeaderName, value));
            description.Add($"signature {who.Signature}");
        }
        return new FuzzRequest(
            operation,
            who.Caller,
            setup.Callers.Authorization(who.Caller, operation, who.Variant),
            target,
            headers,
            content.Body is null ? null : content.ContentType,
            content.Body?.Bytes,
            description.Count == 0 ? "parameters and token only" : string.Join("; ", description));
    }

    private static Gen<(string Name, string Value)?> QueryParameter(OpenApiParameter parameter) => Gen.Frequency(
        (2, Gen.Const(() => ((string, string)?)null)),
        (5, MalformedValues.QueryValue(IsInteger(parameter)).Select(v => ((string, string)?)(parameter.Name, v))),
        (1, Gen.Const(() => ((string, string)?)(parameter.Name, "1"))));

    /// <summary>Real values for a parameter: the test's own (an order id that exists), and the enum of a schema named like it.</summary>
    private static string[] Known(OpenApiParameter parameter, JsonNode document, FuzzSetup setup)
    {
        var known = setup.KnownValues.GetValueOrDefault(parameter.Name) ?? [];
        var schemas = document["components"]?["schemas"]?.AsObject();
        var named = schemas?.FirstOrDefault(s => string.Equals(s.Key, parameter.Name, StringComparison.OrdinalIgnoreCase)).Value;
        var enumValues = (parameter.Schema["enum"] ?? named?["enum"])?.AsArray().Select(v => v?.ToString() ?? "").ToArray() ?? [];
        return [.. known, .. enumValues];
    }

    private static bool IsInteger(OpenApiParameter parameter) =>
        parameter.Schema["type"]?.ToJsonString().Contains("integer", StringComparison.Ordinal) == true;

    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(() => new List<T>()), (all, next) => all.SelectMany(list => next.Select(item => new List<T>(list) { item })));
}
