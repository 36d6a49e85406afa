using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FlashFundX.Api.OpenApi;

/// <summary>
/// Every 4xx/5xx response is an <c>application/problem+json</c> body (the API uses <c>AddProblemDetails</c>
/// everywhere), with its schema and an example; responses that declared no body (e.g. <c>TypedResults.NotFound()</c>)
/// get one, since the status-code-pages middleware writes problem details for them. Runs after the transformers that add responses.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        // Any endpoint can fail unexpectedly; the exception handler answers that with problem details too.
        operation.Responses.TryAdd("500", new OpenApiResponse { Description = "Unexpected server error" });
        var instance = "/" + (context.Description.RelativePath ?? string.Empty).TrimStart('/');
        var field = RequestExampleTransformer.FirstField(operation);
        foreach (var (code, response) in operation.Responses)
        {
            if (!int.TryParse(code, out var status) || status < 400 || response is not OpenApiResponse concrete)
            {
                continue;
            }
            concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
            if (concrete.Content.Count == 0)
            {
                var schemaType = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
                concrete.Content[ProblemJson] = new OpenApiMediaType
                {
                    Schema = await context.GetOrCreateSchemaAsync(schemaType, null, cancellationToken).ConfigureAwait(false),
                };
            }
            foreach (var media in concrete.Content.Values)
            {
                media.Example ??= ProblemExamples.For(status, instance, field);
            }
        }
    }
}
