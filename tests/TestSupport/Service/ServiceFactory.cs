extern alias api;

using System.Net;
using FlashFundX.TestSupport.Logging;
using FlashFundX.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace FlashFundX.TestSupport.Service;

/// <summary>
/// The real <c>Program</c> of src/Api on Kestrel at 127.0.0.1:<paramref name="port"/>, environment <c>Testing</c>
/// (nothing provisioned), with the worker of src/Worker in the same process when <c>inProcessWorker</c> (as the
/// development run composes them). The API connects as its login role (the settings' <c>ConnectionStrings:FlashFundX</c>);
/// an in-process worker as the owner, <c>ownerConnectionString</c>. <c>UseSetting</c> values reach <c>Program</c> as command-line arguments
/// (<see cref="FulfillmentService"/> checks after start that they took effect).
/// </summary>
internal sealed class ServiceFactory : WebApplicationFactory<api::Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly CapturedLogs _logs;
    private readonly bool _inProcessWorker;
    private readonly string _ownerConnectionString;
    private readonly Action<IServiceCollection>? _configureServices;

    public ServiceFactory(
        IReadOnlyDictionary<string, string?> settings, CapturedLogs logs, int port, bool inProcessWorker, string ownerConnectionString,
        Action<IServiceCollection>? configureServices)
    {
        _settings = settings;
        _logs = logs;
        _inProcessWorker = inProcessWorker;
        _ownerConnectionString = ownerConnectionString;
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
            if (_inProcessWorker)
            {
                services.AddInProcessFulfillmentWorker(new ConfigurationBuilder().AddInMemoryCollection(_settings).Build(), _ownerConnectionString);
            }
            _configureServices?.Invoke(services);
        });
    }
}
