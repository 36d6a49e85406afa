using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FlashFundX.NowPayments.Tests.Support;

/// <summary>A local Kestrel endpoint standing in for our webhook: records every POST to <c>/ipn</c>.</summary>
public sealed class IpnReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedIpn> _received = new();

    private IpnReceiver(WebApplication app) => _app = app;

    public string CallbackUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedIpn> Received => _received.ToArray();

    /// <summary>Status the receiver answers with.</summary>
    public int ResponseStatus { get; set; } = StatusCodes.Status200OK;

    public static async Task<IpnReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var receiver = new IpnReceiver(app);
        app.MapPost("/ipn", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            receiver._received.Enqueue(new ReceivedIpn(
                buffer.ToArray(),
                context.Request.Headers["x-nowpayments-sig"].ToString(),
                context.Request.ContentType));
            return Results.StatusCode(receiver.ResponseStatus);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.CallbackUrl = address.TrimEnd('/') + "/ipn";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedIpn(byte[] Body, string Signature, string? ContentType);
