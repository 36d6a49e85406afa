using Microsoft.AspNetCore.Http.Features;

namespace FlashFundX.Api.Problems;

/// <summary>
/// Enforces <see cref="BodySizeLimit"/> before model binding, on Kestrel and the test server alike: a declared
/// Content-Length over the limit is refused at once with 413; a body without one is buffered up to the limit.
/// </summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimit>();
        if (metadata is { MaxBytes: null })
        {
            await next(context);
            return;
        }
        var limit = metadata?.MaxBytes ?? BodySizeLimit.DefaultBytes;

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        var declared = context.Request.ContentLength;
        if (declared > limit)
        {
            await TooLarge(context, limit);
            return;
        }
        if (declared is null && HasBody(context.Request))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    await TooLarge(context, limit);
                    return;
                }
                buffer.Write(chunk, 0, read);
            }
            buffer.Position = 0;
            context.Request.Body = buffer;
            context.Request.ContentLength = buffer.Length;
            context.Response.RegisterForDispose(buffer);
        }
        await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsDelete(request.Method)
        && !HttpMethods.IsOptions(request.Method);

    private static Task TooLarge(HttpContext context, long limit) =>
        ProblemResponses.WriteAsync(
            context,
            StatusCodes.Status413PayloadTooLarge,
            "Request body too large",
            $"The request body exceeds the {limit / 1024} KiB limit of this endpoint.");
}
