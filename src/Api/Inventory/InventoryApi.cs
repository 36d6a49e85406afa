using FlashFundX.Api.Admin;
using FlashFundX.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Inventory;

/// <summary>Admin view and import of trading-account stock.</summary>
public static partial class InventoryApi
{
    public static RouteGroupBuilder MapInventoryApi(this IEndpointRouteBuilder app)
    {
        var inventory = app.MapGroup("/admin/inventory").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        inventory.MapGet("/", GetInventoryAsync)
            .WithName("GetInventory")
            .WithSummary("Stock per account size and platform: available, reserved, delivered")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        MapImport(inventory);
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

    static partial void MapImport(RouteGroupBuilder inventory);
}
