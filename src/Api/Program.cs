using FlashFundX.Api;
using FlashFundX.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
await builder.AddFulfillmentHostingAsync();
builder.AddFulfillmentApi();

var app = builder.Build();
app.MapFulfillmentApi();
await app.RunFulfillmentAsync();

/// <summary>Entry point, public so tests can host the API with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
