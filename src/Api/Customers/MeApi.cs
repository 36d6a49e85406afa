using System.Text.Json;
using FlashFundX.Api.Auth;
using FlashFundX.Api.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlashFundX.Api.Customers;

/// <summary>The signed-in customer: profile and totals, and the accounts delivered to them.</summary>
public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/me").WithTags("Customer").RequireAuthorization();

        me.MapGet("/", GetMeAsync)
            .WithName("GetMe")
            .WithSummary("The caller: profile, totals of completed orders, and order counts by status")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        me.MapPatch("/", PatchMeAsync)
            .WithName("PatchMe")
            .WithSummary("Change profile fields (JSON merge patch: a field left out is unchanged, null clears it)")
            .Accepts<CustomerProfilePatchExample>("application/merge-patch+json", "application/json")
            .WithRequestExample(new CustomerProfilePatchExample("Ada", "Lovelace", "+44 20 7946 0000", "GB", true))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        me.MapGet("/accounts", ListAccountsAsync)
            .WithName("ListMyAccounts")
            .WithSummary("Every account delivered to the caller (no passwords: see GET /orders/{orderId}/account)")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return me;
    }

    public static async Task<Ok<MeDto>> GetMeAsync(HttpContext context, CustomerStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ReadAsync(Caller.Require(context.User), cancellationToken));

    public static async Task<Results<Ok<MeDto>, ValidationProblem>> PatchMeAsync(
        JsonElement patch, HttpContext context, CustomerStore store, CancellationToken cancellationToken)
    {
        var parsed = ProfilePatch.Parse(patch, out var errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The profile patch has invalid fields; nothing was changed.");
        }
        return TypedResults.Ok(await store.UpdateAsync(Caller.Require(context.User), parsed, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<CustomerAccountDto>>> ListAccountsAsync(
        HttpContext context, CustomerStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAccountsAsync(Caller.Require(context.User), cancellationToken));
}
