using System.Globalization;
using FlashFundX.Api.Auth;
using FlashFundX.Api.Inventory;
using FlashFundX.Data.Inventory;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary>Upkeep of single stock accounts: list, fix server or login, disable or enable, delete (never a delivered one).</summary>
public static partial class AdminInventoryApi
{
    private static readonly string[] PatchableStatuses = [WireName.Of(InventoryAccountStatus.Available), WireName.Of(InventoryAccountStatus.Disabled)];

    public static RouteGroupBuilder MapAdminInventoryApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/admin/inventory/accounts").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        accounts.MapGet("/", ListAccountsAsync)
            .WithName("AdminListInventoryAccounts")
            .WithSummary("Stock accounts, newest first, by accountSize, platform and status (never a password)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        accounts.MapPatch("/{accountId}", PatchAccountAsync)
            .WithName("AdminPatchInventoryAccount")
            .WithSummary("Fix an account's server or login, or set its status to disabled or available; not once it is delivered")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        accounts.MapDelete("/{accountId}", DeleteAccountAsync)
            .WithName("AdminDeleteInventoryAccount")
            .WithSummary("Delete an account that was never delivered")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return accounts;
    }

    public static async Task<Results<Ok<AdminPage<InventoryAccountDto>>, ValidationProblem>> ListAccountsAsync(
        InventoryAccounts accounts,
        CancellationToken cancellationToken,
        int? accountSize = null,
        string? platform = null,
        string? status = null,
        int? page = null,
        int? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var paging = AdminPaging.Read(page, pageSize, errors);
        if (accountSize is <= 0)
        {
            errors["accountSize"] = ["accountSize must be a positive number of dollars."];
        }
        if (platform is not null && !WireName.TryParse<TradingPlatform>(platform, out _))
        {
            errors["platform"] = [$"platform must be one of {string.Join(", ", WireName.All<TradingPlatform>())}."];
        }
        if (status is not null && !WireName.TryParse<InventoryAccountStatus>(status, out _))
        {
            errors["status"] = [$"status must be one of {string.Join(", ", WireName.All<InventoryAccountStatus>())}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await accounts.ListAsync(new InventoryAccountFilter(accountSize, platform, status), paging, cancellationToken));
    }

    public static async Task<Results<Ok<InventoryAccountDto>, ValidationProblem, ProblemHttpResult>> PatchAccountAsync(
        string accountId,
        InventoryAccountPatch body,
        HttpContext context,
        InventoryAccounts accounts,
        RestockNotifier restock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        if (ParseId(accountId) is not { } id)
        {
            return AccountNotFound(accountId);
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Server is null && body.Login is null && body.Status is null)
        {
            errors["body"] = ["Give at least one of server, login and status."];
        }
        if (body.Server is not null)
        {
            InventoryImportValidation.Text(errors, "server", body.Server, InventoryImportValidation.MaxServerLength, trim: true);
        }
        if (body.Login is not null)
        {
            InventoryImportValidation.Text(errors, "login", body.Login, InventoryImportValidation.MaxLoginLength, trim: true);
        }
        InventoryAccountStatus? status = null;
        if (body.Status is not null)
        {
            if (PatchableStatuses.Contains(body.Status, StringComparer.Ordinal))
            {
                status = WireName.Parse<InventoryAccountStatus>(body.Status);
            }
            else
            {
                errors["status"] = [$"status can be set to {string.Join(" or ", PatchableStatuses)} only."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The change has invalid fields; nothing was changed.");
        }

        var result = await accounts.UpdateAsync(admin.UserId, id, body.Server?.Trim(), body.Login?.Trim(), status, cancellationToken);
        var logger = loggers.CreateLogger(typeof(AdminInventoryApi));
        LogOutcome(logger, "change", id, admin.UserId, result.Outcome);
        if (result.Outcome is InventoryAccountOutcome.Changed && result.Account is { Status: InventoryAccountStatus.Available } account)
        {
            // Orders waiting for this size and platform try again now (an enabled account, or one a delivery skipped
            // while it was locked here). The change is committed: the client hanging up must not stop the signals.
            await restock.NotifyAsync([new StockKey(account.AccountSize, account.Platform)], CancellationToken.None);
        }
        return result.Outcome switch
        {
            InventoryAccountOutcome.Changed or InventoryAccountOutcome.Unchanged => TypedResults.Ok(result.Account!),
            InventoryAccountOutcome.NotFound => AccountNotFound(accountId),
            _ => Conflict("Inventory account cannot change", result.Detail!),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAccountAsync(
        string accountId, HttpContext context, InventoryAccounts accounts, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        if (ParseId(accountId) is not { } id)
        {
            return AccountNotFound(accountId);
        }
        var result = await accounts.DeleteAsync(admin.UserId, id, cancellationToken);
        LogOutcome(loggers.CreateLogger(typeof(AdminInventoryApi)), "delete", id, admin.UserId, result.Outcome);
        return result.Outcome switch
        {
            InventoryAccountOutcome.Changed => TypedResults.NoContent(),
            InventoryAccountOutcome.NotFound => AccountNotFound(accountId),
            _ => Conflict("Inventory account cannot be deleted", result.Detail!),
        };
    }

    private static long? ParseId(string accountId) =>
        long.TryParse(accountId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private static ProblemHttpResult AccountNotFound(string accountId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Inventory account not found",
        detail: (ParseId(accountId) is { } id ? $"There is no inventory account {id}." : "No such inventory account.")
                + " GET /admin/inventory/accounts lists them.");

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminUserId} asked to {Action} inventory account {AccountId}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string action, long accountId, Guid adminUserId, InventoryAccountOutcome outcome);
}
