using FlashFundX.Api.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.Ops.Tests.OpenApi;

/// <summary>A small API shaped like ours (groups, auth, typed results, problem details) to test the OpenAPI setup on.</summary>
public static class FixtureApi
{
    public sealed record CreateThingRequest(string Name, int Size);

    public sealed record ThingDto(string Id, string Name, int Size);

    public static async Task<WebApplication> StartAsync(Action<WebApplication>? mapMore = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddAuthorization();
        builder.Services.AddFulfillmentOpenApi(examples => examples.Add(new CreateThingRequest("FFX demo", 10_000)));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        var things = app.MapGroup("/things").WithTags("Things").RequireAuthorization();
        things.MapPost("/", CreateAsync).WithName("CreateThing").WithSummary("Create a thing");
        things.MapGet("/{id}", Get).WithName("GetThing").WithSummary("Get one thing");
        app.MapGet("/live", () => TypedResults.Ok()).WithSummary("Liveness").AllowAnonymous();
        mapMore?.Invoke(app);
        app.MapFulfillmentApiDocs();

        await app.StartAsync();
        return app;
    }

    private static Task<Results<Created<ThingDto>, ValidationProblem>> CreateAsync(CreateThingRequest request) =>
        Task.FromResult<Results<Created<ThingDto>, ValidationProblem>>(
            TypedResults.Created("/things/1", new ThingDto("1", request.Name, request.Size)));

    private static Results<Ok<ThingDto>, NotFound> Get(string id) => TypedResults.NotFound();
}
