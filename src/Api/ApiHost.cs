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
