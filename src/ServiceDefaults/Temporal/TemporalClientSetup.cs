using FlashFundX.ServiceDefaults.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Temporalio.Client;

namespace FlashFundX.ServiceDefaults.Temporal;

public static class TemporalClientSetup
{
    /// <summary>One lazily connected <see cref="ITemporalClient"/> for the process, configured from <see cref="TemporalSettings"/>.</summary>
    public static IServiceCollection AddFulfillmentTemporalClient(this IServiceCollection services)
    {
        services.AddTemporalClient(_ => { });
        services.AddOptions<TemporalClientConnectOptions>()
            .Configure<IOptions<TemporalSettings>, ILoggerFactory>((options, settings, loggers) => Apply(options, settings.Value, loggers));
        return services;
    }

    public static void Apply(TemporalClientConnectOptions options, TemporalSettings settings, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        options.TargetHost = settings.Address;
        options.Namespace = settings.Namespace;
        options.GrpcCompression = TemporalConnectionCompression.For(settings.Address, settings.Compression);
        if (loggers is not null)
        {
            options.LoggerFactory = loggers;
        }
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            options.ApiKey = settings.ApiKey;
        }
        if (settings.Tls || !string.IsNullOrEmpty(settings.ApiKey) || settings.ClientCertPath is not null)
        {
            options.Tls = new TlsOptions
            {
                ClientCert = settings.ClientCertPath is null ? null : File.ReadAllBytes(settings.ClientCertPath),
                ClientPrivateKey = settings.ClientKeyPath is null ? null : File.ReadAllBytes(settings.ClientKeyPath),
            };
        }
    }
}
