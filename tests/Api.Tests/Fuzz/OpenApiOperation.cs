using System.Text.Json.Nodes;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>One operation of the served OpenAPI document, as the fuzz test needs it.</summary>
public sealed record OpenApiOperation(
    string OperationId,
    HttpMethod Method,
    string PathTemplate,
    IReadOnlyList<OpenApiParameter> Parameters,
    OpenApiRequestBody? Body,
    bool RequiresBearer,
    bool RequiresAdmin)
{
    public override string ToString() => $"{Method} {PathTemplate} ({OperationId})";
}

/// <summary>A path, query or header parameter; <see cref="Schema"/> has its <c>$ref</c>s resolved.</summary>
public sealed record OpenApiParameter(string Name, string In, JsonObject Schema, bool Required);

/// <summary>The request body: its media types, schema (refs resolved) and example, when the document gives them.</summary>
public sealed record OpenApiRequestBody(IReadOnlyList<string> ContentTypes, JsonObject? Schema, JsonNode? Example);
