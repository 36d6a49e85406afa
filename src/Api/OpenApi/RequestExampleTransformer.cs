using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace FlashFundX.Api.OpenApi;

/// <summary>
/// Puts an example on every JSON request body (endpoint metadata first, then <see cref="OpenApiExamples"/> by body
/// type), serialized with the API's own JSON options so names and enums look as the API reads them, and documents
/// the 400 a malformed body gets.
/// </summary>
internal sealed class RequestExampleTransformer(OpenApiExamples examples, IOptions<JsonOptions> json) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody is not OpenApiRequestBody { Content: { Count: > 0 } content })
        {
            return Task.CompletedTask;
        }
        operation.Responses ??= [];
        operation.Responses.TryAdd("400", new OpenApiResponse { Description = "The request body is malformed or invalid" });

        var example = FindExample(context);
        if (example is null)
        {
            return Task.CompletedTask;
        }
        var node = JsonSerializer.SerializeToNode(example, example.GetType(), json.Value.SerializerOptions);
        foreach (var (mediaType, media) in content)
        {
            if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) && media.Example is null)
            {
                media.Example = node?.DeepClone();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The first property name of the operation's request example, for 400 examples.</summary>
    public static string? FirstField(OpenApiOperation operation) =>
        operation.RequestBody?.Content?.Values.Select(m => m.Example).OfType<JsonObject>().FirstOrDefault()?.FirstOrDefault().Key;

    private object? FindExample(OpenApiOperationTransformerContext context)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExampleMetadata>().LastOrDefault() is { } metadata)
        {
            return metadata.Example;
        }
        var bodyType = context.Description.ParameterDescriptions
            .FirstOrDefault(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form)?.Type;
        return bodyType is not null && examples.TryGet(bodyType, out var example) ? example : null;
    }
}
