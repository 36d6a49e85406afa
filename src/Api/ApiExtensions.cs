namespace FlashFundX.Api;

/// <summary>The HTTP surface: authentication, problem details, endpoints.</summary>
public static class ApiExtensions
{
    public static void AddFulfillmentApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
    }

    public static void MapFulfillmentApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
