using System.Net;
using System.Net.Sockets;

namespace FlashFundX.LocalDev.Temporal;

public static class PortProbe
{
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
