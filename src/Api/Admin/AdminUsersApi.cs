using FlashFundX.Api.Auth;
using FlashFundX.Api.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Admin;

/// <summary>Users for admins: the list with totals, and one user with profile, totals and orders.</summary>
public static class AdminUsersApi
{
    public static RouteGroupBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        users.MapGet("/", ListAsync)
            .WithName("AdminListUsers")
            .WithSummary("Users, newest first, with totals (orders; completed orders and amount spent as GET /me shows them); email filters by part, any case")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        users.MapGet("/{userId}", GetAsync)
            .WithName("AdminGetUser")
            .WithSummary("A user: profile, totals, order counts by status and newest orders")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return users;
    }

    public static async Task<Results<Ok<AdminPage<AdminUserDto>>, ValidationProblem>> ListAsync(
        HttpContext context, UserDirectory directory, CancellationToken cancellationToken, string? email = null, int? page = null, int? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var paging = AdminPaging.Read(page, pageSize, errors);
        AdminFilterText.Check(errors, "email", email);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await directory.ListAsync(Caller.Require(context.User), email?.Trim(), paging, cancellationToken));
    }

    public static async Task<Results<Ok<AdminUserDetailDto>, ProblemHttpResult>> GetAsync(
        string userId, HttpContext context, UserDirectory directory, CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(userId, out var id)
            ? await directory.FindAsync(Caller.Require(context.User), id, cancellationToken)
            : null;
        return user is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "User not found",
                detail: (id != Guid.Empty ? $"There is no user {id}." : "No such user.") + " GET /admin/users lists them.")
            : TypedResults.Ok(user);
    }
}
