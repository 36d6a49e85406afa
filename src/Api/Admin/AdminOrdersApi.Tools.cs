using FlashFundX.Api.Auth;
using FlashFundX.Api.Temporal;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary>What mark-paid and refunded share: body checks, the answer to a recorded reference, the answer to the workflow's.</summary>
public static partial class AdminOrdersApi
{
    /// <summary>
    /// The answer when the order already has a recorded reference (a payment or a refund): the same reference is a repeat
    /// (200 with the order, nothing written), another one a conflict. Null when nothing is recorded yet.
    /// </summary>
    private static Results<Ok<AdminOrder>, ValidationProblem, ProblemHttpResult>? AnswerRecorded(
        string? recordedReference, string reference, AdminOrder order, string tool, string done, Caller admin, ILogger logger)
    {
        if (recordedReference is null)
        {
            return null;
        }
        if (string.Equals(recordedReference, reference, StringComparison.Ordinal))
        {
            LogRepeat(logger, tool, order.OrderId, admin.UserId);
            return TypedResults.Ok(order);
        }
        return Conflict($"Order already {done}", $"Order {order.OrderId} was already {done} with reference {recordedReference}.");
    }

    /// <summary>The workflow's answer: 409 with its reason, or the audit row and 200 with the order as it now is.</summary>
    private static async Task<Results<Ok<AdminOrder>, ValidationProblem, ProblemHttpResult>> FinishAsync(
        AdminToolResult result, string tool, string refusedTitle, AdminOrder order, Caller admin, AdminOrderStore store, ILogger logger,
        Func<Task> audit, CancellationToken cancellationToken)
    {
        LogTool(logger, tool, order.OrderId, OrderIds.WorkflowId(order.OrderId), admin.UserId, result.ToString());
        if (result is AdminToolResult.Refused refused)
        {
            return Conflict(refusedTitle, refused.Detail);
        }
        await audit();
        return TypedResults.Ok(await store.FindAsync(order.OrderId, cancellationToken) ?? order);
    }

    private static string? CheckReference(Dictionary<string, string[]> errors, string? value)
    {
        var reference = value?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > MaxReferenceLength || reference.Any(char.IsControl))
        {
            errors["reference"] = [$"reference is required (1–{MaxReferenceLength} characters, no control characters)."];
        }
        return reference;
    }

    private static string? CheckNote(Dictionary<string, string[]> errors, string? value)
    {
        var note = value?.Trim();
        // PostgreSQL text and jsonb (the audit log) cannot hold a NUL.
        if (note is not null && (note.Length > MaxNoteLength || note.Contains('\0', StringComparison.Ordinal)))
        {
            errors["note"] = [$"note is at most {MaxNoteLength} characters, no NUL."];
        }
        return string.IsNullOrEmpty(note) ? null : note;
    }

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminUserId} {Tool} of order {OrderId} (workflow {WorkflowId}): {Result}")]
    private static partial void LogTool(ILogger logger, string tool, string orderId, string workflowId, Guid adminUserId, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminUserId} repeated {Tool} of order {OrderId} with its recorded reference: nothing changed")]
    private static partial void LogRepeat(ILogger logger, string tool, string orderId, Guid adminUserId);
}
