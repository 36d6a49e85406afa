using System.Text.Json.Nodes;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>Reads the operations (paths, methods, parameters, request bodies, security) out of an OpenAPI 3 document.</summary>
public static class OpenApiDocumentReader
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public static IReadOnlyList<OpenApiOperation> Operations(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var operations = new List<OpenApiOperation>();
        foreach (var (path, pathItem) in document["paths"]!.AsObject())
        {
            var shared = pathItem!["parameters"]?.AsArray();
            foreach (var method in Methods)
            {
                if (pathItem[method] is not JsonObject operation)
                {
                    continue;
                }
                var parameters = (shared ?? []).Concat(operation["parameters"]?.AsArray() ?? [])
                    .Select(p => Resolve(document, p!).AsObject())
                    .Select(p => new OpenApiParameter(
                        (string)p["name"]!,
                        (string)p["in"]!,
                        Resolve(document, p["schema"] ?? new JsonObject()).AsObject(),
                        p["required"]?.GetValue<bool>() ?? (string)p["in"]! == "path"))
                    .ToArray();
                var security = operation["security"]?.AsArray() ?? document["security"]?.AsArray();
                var requiresBearer = security is { Count: > 0 };
                // The document declares 403 on exactly the operations whose policy needs a role (BearerSecurityTransformer).
                var requiresAdmin = requiresBearer && operation["responses"]?["403"] is not null;
                operations.Add(new OpenApiOperation(
                    (string?)operation["operationId"] ?? $"{method.ToUpperInvariant()} {path}",
                    new HttpMethod(method.ToUpperInvariant()),
                    path,
                    parameters,
                    RequestBody(document, operation["requestBody"]),
                    requiresBearer,
                    requiresAdmin));
            }
        }
        return operations;
    }

    private static OpenApiRequestBody? RequestBody(JsonNode document, JsonNode? body)
    {
        if (body is null)
        {
            return null;
        }
        var content = Resolve(document, body)["content"]!.AsObject();
        var first = content.Select(c => c.Value).FirstOrDefault();
        var schema = first?["schema"] is { } s ? Resolve(document, s) as JsonObject : null;
        var example = content.Select(c => c.Value?["example"]).FirstOrDefault(e => e is not null)?.DeepClone();
        return new OpenApiRequestBody(content.Select(c => c.Key).ToArray(), schema, example);
    }

    /// <summary>A copy of <paramref name="node"/> with every local <c>$ref</c> replaced by its target (cycles cut at depth 16).</summary>
    public static JsonNode Resolve(JsonNode document, JsonNode node, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(node);
        if (node is JsonObject obj)
        {
            if (obj["$ref"] is JsonValue reference && depth < 16)
            {
                var target = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                    .Aggregate((JsonNode?)document, (current, segment) => current?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]);
                return target is null ? new JsonObject() : Resolve(document, target, depth + 1);
            }
            var copy = new JsonObject();
            foreach (var (key, value) in obj)
            {
                copy[key] = value is null ? null : Resolve(document, value, depth);
            }
            return copy;
        }
        if (node is JsonArray array)
        {
            return new JsonArray(array.Select(item => item is null ? null : Resolve(document, item, depth)).ToArray());
        }
        return node.DeepClone();
    }
}
