using System.Net;
using FlashFundX.ServiceDefaults.Configuration;
using Temporalio.Client;

namespace FlashFundX.ServiceDefaults.Temporal;

/// <summary>What <see cref="TemporalCompression"/> means for a connection to a given address.</summary>
public static class TemporalConnectionCompression
{
    public static GrpcCompression For(string address, TemporalCompression setting) => setting switch
    {
        TemporalCompression.Gzip => new GrpcCompression.Gzip(),
        TemporalCompression.None => new GrpcCompression.None(),
        _ => IsLoopback(address) ? new GrpcCompression.None() : new GrpcCompression.Gzip(),
    };

    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and <c>[::1]</c>, with or without a port.</summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var host = address.Trim();
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            host = end > 0 ? host[1..end] : host;
        }
        else if (host.Count(c => c == ':') == 1)
        {
            host = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
