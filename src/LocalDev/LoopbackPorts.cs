using System.Net;
using System.Net.Sockets;

namespace FlashFundX.LocalDev;

/// <summary>TCP ports on 127.0.0.1 for local servers that must know their address before they start.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listened on a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
