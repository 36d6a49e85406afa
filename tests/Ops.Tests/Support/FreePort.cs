using System.Net;
using System.Net.Sockets;

namespace FlashFundX.Ops.Tests.Support;

public static class FreePort
{
    /// <summary>A TCP port nothing listens on right now (for listeners that cannot bind port 0 themselves).</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
