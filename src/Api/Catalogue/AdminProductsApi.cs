using FlashFundX.Api.Auth;
using FlashFundX.Api.Data;
using FlashFundX.Data.Products;
using FlashFundX.Workflows.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Catalogue;

/// <summary>The price list for admins: every product, on sale or not, and its changes (each one audited).</summary>
public static partial class AdminProductsApi
{
    public static RouteGroupBuilder MapAdminProductsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/products").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        admin.MapGet("/", ListAsync)
            .WithName("AdminListProducts")
            .WithSummary("Every product, on sale or not, by account type then size")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapPut("/{accountType}/{accountSize:int}", PutAsync)
            .WithName("AdminPutProduct")
            .WithSummary("Create a product or replace its price and rules; orders already placed keep theirs")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapDelete("/{accountType}/{accountSize:int}", DeactivateAsync)
            .WithName("AdminDeactivateProduct")
            .WithSummary("Take a product off sale (its orders keep it; PUT with active true sells it again)")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    public static async Task<Ok<AdminProductDto[]>> ListAsync(CallerScopedDatabase database, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        return TypedResults.Ok((await ProductStore.ListAsync(session.Transaction, cancellationToken)).Select(AdminProductDto.From).ToArray());
    }

    public static async Task<Results<Created<AdminProductDto>, Ok<AdminProductDto>, ValidationProblem>> PutAsync(
        string accountType,
        int accountSize,
        ProductBody body,
        HttpContext context,
        CallerScopedDatabase database,
        ILogger<ProductStore> logger,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!WireName.TryParse<AccountType>(accountType, out var type))
        {
            errors["accountType"] = [$"accountType must be one of {string.Join(", ", WireName.All<AccountType>())}."];
        }
        var terms = Terms(body, errors);
        if (terms is not null && errors.Count == 0)
        {
            foreach (var (field, messages) in ProductTermsRules.Validate(type, accountSize, terms))
            {
                errors[field] = messages;
            }
        }
        if (terms is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        ProductChange change;
        await using (var session = await database.OpenSystemAsync(cancellationToken))
        {
            change = await ProductStore.PutAsync(session.Transaction, type, accountSize, terms, admin.UserId, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        var dto = AdminProductDto.From(change.After);
        if (change.Kind != ProductChangeKind.Unchanged)
        {
            LogChanged(logger, change.Kind, accountType, accountSize, dto.Version, admin.UserId);
        }
        return change.Kind == ProductChangeKind.Created
            ? TypedResults.Created($"/products/{accountType}/{accountSize}", dto)
            : TypedResults.Ok(dto);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeactivateAsync(
        string accountType, int accountSize, HttpContext context, CallerScopedDatabase database, ILogger<ProductStore> logger,
        CancellationToken cancellationToken)
    {
        var admin = Caller.Require(context.User);
        ProductChange? change = null;
        if (WireName.TryParse<AccountType>(accountType, out var type))
        {
            await using var session = await database.OpenSystemAsync(cancellationToken);
            change = await ProductStore.DeactivateAsync(session.Transaction, type, accountSize, admin.UserId, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        if (change is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Product not found",
                detail: $"There is no product '{accountType}' of size {accountSize}. GET /admin/products lists them.");
        }
        if (change.Kind != ProductChangeKind.Unchanged)
        {
            LogDeactivated(logger, accountType, accountSize, admin.UserId);
        }
        return TypedResults.NoContent();
    }

    private static ProductTerms? Terms(ProductBody? body, Dictionary<string, string[]> errors)
    {
        if (body is null)
        {
            errors["body"] = ["A JSON object with price, priceCurrency, tradingRules and active is required."];
            return null;
        }
        var rules = body.TradingRules;
        Require(errors, "price", body.Price);
        Require(errors, "priceCurrency", body.PriceCurrency);
        Require(errors, "tradingRules", rules);
        if (rules is not null)
        {
            Require(errors, "tradingRules.maxDailyDrawdown", rules.MaxDailyDrawdown);
            Require(errors, "tradingRules.maxTotalDrawdown", rules.MaxTotalDrawdown);
            Require(errors, "tradingRules.minTradingDays", rules.MinTradingDays);
            Require(errors, "tradingRules.profitSplit", rules.ProfitSplit);
            Require(errors, "tradingRules.leverage", rules.Leverage);
        }
        if (errors.Count > 0 || rules is null)
        {
            return null;
        }
        return new ProductTerms(
            body.Price!.Value, body.PriceCurrency!, rules.ProfitTargetPhase1, rules.ProfitTargetPhase2, rules.MaxDailyDrawdown!.Value,
            rules.MaxTotalDrawdown!.Value, rules.MinTradingDays!.Value, rules.ProfitSplit!.Value, rules.Leverage!, body.Active ?? true);
    }

    private static void Require(Dictionary<string, string[]> errors, string field, object? value)
    {
        if (value is null)
        {
            errors[field] = [$"{field} is required."];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Product {AccountType} {AccountSize} {Change} by admin {AdminUserId}: version {Version}")]
    private static partial void LogChanged(ILogger logger, ProductChangeKind change, string accountType, int accountSize, long version, Guid adminUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Product {AccountType} {AccountSize} taken off sale by admin {AdminUserId}")]
    private static partial void LogDeactivated(ILogger logger, string accountType, int accountSize, Guid adminUserId);
}
