using FlashFundX.Api.Admin;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;
using FlashFundX.Api.Problems;
using FlashFundX.Data.Inventory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Inventory;

/// <summary>Admin view and import of trading-account stock.</summary>
public static class InventoryApi
{
    /// <summary>An import of 10,000 accounts is about 2 MB of JSON.</summary>
    public const long MaxImportBodyBytes = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapInventoryApi(this IEndpointRouteBuilder app)
    {
        var inventory = app.MapGroup("/admin/inventory").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        inventory.MapGet("/", GetInventoryAsync)
            .WithName("GetInventory")
            .WithSummary("Stock per account size and platform: available, delivered, disabled")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        inventory.MapPost("/", ImportInventoryAsync)
            .WithName("ImportInventory")
            .WithSummary("Add trading accounts to stock (duplicates by platform+server+login are skipped); wakes orders waiting for them")
            .WithBodySizeLimit(MaxImportBodyBytes)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        return inventory;
    }

    public static async Task<Ok<IReadOnlyList<InventoryLevel>>> GetInventoryAsync(
        HttpContext context, InventoryStore store, AdminAuditLog audit, CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var levels = await store.GetLevelsAsync(cancellationToken);
        await audit.WriteAsync(admin.UserId, AdminActions.InventoryViewed, null, new { groups = levels.Count }, cancellationToken);
        return TypedResults.Ok(levels);
    }

    public static async Task<Results<Created<ImportInventoryResponse>, ValidationProblem>> ImportInventoryAsync(
        ImportInventoryRequest request,
        HttpContext context,
        InventoryStore store,
        InventoryImporter importer,
        CallerScopedDatabase database,
        RestockNotifier restock,
        AdminAuditLog audit,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var offeredSizes = await store.GetOfferedSizesAsync(cancellationToken);
        var (accounts, errors) = InventoryImportValidation.Validate(request, offeredSizes);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The import has invalid accounts; nothing was imported.");
        }

        InventoryImportResult result;
        await using (var session = await database.OpenSystemAsync(cancellationToken))
        {
            result = await importer.ImportAsync(session.Transaction, accounts, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        await audit.WriteAsync(admin.UserId, AdminActions.InventoryImported, null, new
        {
            result.Imported,
            result.Skipped,
            restocked = result.Restocked.Select(r => new { r.AccountSize, r.Platform }),
        }, cancellationToken);
        // The accounts are committed; waking waiting orders must not be undone by the client hanging up.
        var notified = await restock.NotifyAsync(result.Restocked, CancellationToken.None);
        return TypedResults.Created("/admin/inventory", new ImportInventoryResponse(result.Imported, result.Skipped, notified));
    }
}
