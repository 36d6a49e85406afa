using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlashFundX.Api.Hosting;

/// <summary>Prints how to use the local service once it listens, and stops what the dev environment started when the host stops.</summary>
internal sealed class DevelopmentEnvironmentService(
    DevelopmentEnvironment environment,
    IHostApplicationLifetime lifetime,
    IServer server,
    DevelopmentBanner banner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? environment.AppUrl;
            Console.Out.Write(banner.Render(url.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)));
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await environment.DisposeAsync().ConfigureAwait(false);
}
