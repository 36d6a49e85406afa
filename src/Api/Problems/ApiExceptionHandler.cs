using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FlashFundX.Api.Problems;

/// <summary>
/// Turns exceptions into problem details: unreadable requests → their 4xx (naming the JSON field when known),
/// an unreachable database or Temporal → 503 with Retry-After, anything else → a 500 that reveals nothing.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(httpContext, exception);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails Describe(HttpContext context, Exception exception)
    {
        if (exception is BadHttpRequestException badRequest)
        {
            return BadRequest(badRequest);
        }
        if (exception is JsonException json)
        {
            return InvalidJson(json, StatusCodes.Status400BadRequest);
        }
        if (TransientFailures.IsDatabaseUnavailable(exception))
        {
            LogDependencyDown(logger, "PostgreSQL", context.Request.Method, context.Request.Path, exception.GetType().Name);
            return new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "The database is unavailable. Please retry shortly.",
            };
        }
        if (TransientFailures.IsTemporalUnavailable(exception))
        {
            LogDependencyDown(logger, "Temporal", context.Request.Method, context.Request.Path, exception.GetType().Name);
            return new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "Order processing is temporarily unavailable. Please retry shortly.",
            };
        }
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return new ProblemDetails { Status = 499, Title = "Client closed request" };
        }

        LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        return new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Internal server error",
            Detail = "An unexpected error occurred.",
        };
    }

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return InvalidJson(json, exception.StatusCode);
        }
        return exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => new ProblemDetails
            {
                Status = exception.StatusCode,
                Title = "Request body too large",
                Detail = "The request body exceeds the limit for this endpoint.",
            },
            StatusCodes.Status415UnsupportedMediaType => new ProblemDetails
            {
                Status = exception.StatusCode,
                Title = "Unsupported media type",
                Detail = "Send the body as application/json.",
            },
            _ => new ProblemDetails
            {
                Status = exception.StatusCode,
                Title = "Bad request",
                // Framework messages name the parameter ("Required parameter \"CreateOrderRequest request\" was not provided from body.").
                Detail = exception.Message,
            },
        };
    }

    private static ValidationProblemDetails InvalidJson(JsonException exception, int status)
    {
        var field = JsonFieldName(exception.Path);
        var problem = new ValidationProblemDetails
        {
            Status = status,
            Title = "Invalid request body",
            Detail = field is null
                ? "The body is not valid JSON for this endpoint."
                : $"The value of '{field}' is not valid JSON of the expected type.",
        };
        if (field is not null)
        {
            problem.Errors[field] = ["The value has the wrong type or is out of range."];
        }
        return problem;
    }

    /// <summary><c>$.accounts[2].accountSize</c> → <c>accounts[2].accountSize</c>; <c>$</c> → null.</summary>
    private static string? JsonFieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} unavailable while handling {Method} {Path}: {ExceptionType}; answering 503")]
    private static partial void LogDependencyDown(ILogger logger, string dependency, string method, string path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
