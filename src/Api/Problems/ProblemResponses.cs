using Microsoft.AspNetCore.Mvc;

namespace FlashFundX.Api.Problems;

/// <summary>Writes an RFC 9457 problem-details body from middleware, outside an endpoint's typed results.</summary>
public static class ProblemResponses
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        WriteAsync(context, new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>Writes <paramref name="problem"/> with its status (extensions included).</summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is null || !await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // Without content negotiation (e.g. Accept: text/html) still answer with problem JSON.
            await TypedResults.Problem(problem).ExecuteAsync(context);
        }
    }
}
