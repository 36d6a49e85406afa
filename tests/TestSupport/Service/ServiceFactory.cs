extern alias api;

using System.Net;
using FlashFundX.TestSupport.Logging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace FlashFundX.TestSupport.Service;

/// <summary>
/// The real <c>Program</c> of src/Api on Kestrel at 127.0.0.1:<paramref name="port"/>, environment <c>Testing</c>
/// (nothing provisioned). <c>UseSetting</c> values reach <c>Program</c> as command-line arguments, so they are in
/// <c>builder.Configuration</c> before <c>AddFulfillmentHostingAsync</c> reads <c>Worker:InProcess</c> and
/// <c>Temporal:TaskQueue</c> at registration (<see cref="FulfillmentService"/> checks this after start).
/// </summary>
internal sealed class ServiceFactory : WebApplicationFactory<api::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly CapturedLogs _logs;
    private readonly Action<IServiceCollection>? _configureServices;

    public ServiceFactory(IReadOnlyDictionary<string, string?> settings, CapturedLogs logs, int port, Action<IServiceCollection>? configureServices)
    {
        _settings = settings;
        _logs = logs;
        _configureServices = configureServices;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            if (value is not null)
            {
                builder.UseSetting(key, value);
            }
        }
        builder.ConfigureTestServices(services =>
        {
            // The app's Serilog pipeline reads sinks from DI (ReadFrom.Services): its events reach the capture too.
            services.AddSingleton<ILogEventSink>(_logs);
            InstanceLogging.BindToOwnLogger(services);
            _configureServices?.Invoke(services);
        });
    }
}
