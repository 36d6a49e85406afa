using FlashFundX.Data.Database;
using FlashFundX.ServiceDefaults.Hosting;

namespace FlashFundX.Api;

/// <summary>
/// The production API process: settings, Temporal client, database, metrics and the HTTP surface. It provisions nothing
/// and hosts no worker (src/Worker runs that; src/DevHost composes both with local infrastructure for development).
/// </summary>
public static class ApiHost
{
    public const string ApplicationName = "FlashFundX.Api";

    /// <summary>The fully registered builder; building it connects to nothing.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddFulfillmentApiHost();
        // The API connects as its login role, which cannot create tables: migrations run with the owner's connection
        // string (the migrate verb, or the worker with Database:MigrateOnStart).
        builder.Services.AddOptions<DatabaseOptions>().Validate(
            options => !options.MigrateOnStart,
            "Database:MigrateOnStart (env Database__MigrateOnStart) must be false for the API: it connects as its login role, " +
            "which cannot migrate. Run `FlashFundX.Api migrate` with the owner's ConnectionStrings__FlashFundX, or set it on the worker.");
        return builder;
    }

    /// <summary>Everything the API process registers, on a builder whose configuration is complete.</summary>
    public static WebApplicationBuilder AddFulfillmentApiHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFulfillmentServiceDefaults();
        builder.AddFulfillmentApi();
        return builder;
    }
}
