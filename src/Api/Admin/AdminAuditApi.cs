using System.Globalization;
using FlashFundX.Api.Auth;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary>The audit trail: every admin action that changed something, newest first.</summary>
public static class AdminAuditApi
{
    public static RouteGroupBuilder MapAdminAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/admin/audit").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        audit.MapGet("/", ListAsync)
            .WithName("AdminListAudit")
            .WithSummary("Admin actions, newest first, by action, actor (user id or e-mail), orderId and from/to (ISO 8601; to exclusive)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return audit;
    }

    public static async Task<Results<Ok<AdminPage<AuditEntryDto>>, ValidationProblem>> ListAsync(
        AuditTrail trail,
        CancellationToken cancellationToken,
        string? action = null,
        string? actor = null,
        string? orderId = null,
        string? from = null,
        string? to = null,
        int? page = null,
        int? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var paging = AdminPaging.Read(page, pageSize, errors);
        AdminFilterText.Check(errors, "action", action);
        AdminFilterText.Check(errors, "actor", actor);
        if (orderId is not null && !OrderIds.IsValid(orderId))
        {
            errors["orderId"] = ["orderId must be an order id such as FFX123456789."];
        }
        var fromTime = Time(errors, "from", from);
        var toTime = Time(errors, "to", to);
        if (fromTime is not null && toTime is not null && fromTime >= toTime)
        {
            errors["to"] = ["to must be later than from."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var actorText = actor?.Trim();
        Guid? actorId = Guid.TryParse(actorText, out var parsed) ? parsed : null;
        var filter = new AuditFilter(action, actorId, actorId is null ? actorText : null, orderId, fromTime, toTime);
        return TypedResults.Ok(await trail.ListAsync(filter, paging, cancellationToken));
    }

    private static DateTimeOffset? Time(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime(); // Npgsql writes timestamptz only from offset 0
        }
        errors[field] = [$"{field} must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z."];
        return null;
    }
}
