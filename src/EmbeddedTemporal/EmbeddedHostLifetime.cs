using Microsoft.Extensions.Hosting;

namespace FlashFundX.EmbeddedTemporal;

/// <summary>
/// The server's web host leaves process signals to whoever embeds it. The default console lifetime would take
/// SIGTERM and SIGINT for itself and stop only this host, so the process holding it (the standalone program, the
/// API's development run, a test run) would never hear them and keep running.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
