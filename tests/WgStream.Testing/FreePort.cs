using System.Net;
using System.Net.Sockets;

namespace WgStream.Tests.Infrastructure;

/// <summary>A loopback port nobody is listening on right now.</summary>
public static class FreePort
{
    // Between Janus' RTP ports (20000–20999 for `./wg run`, 30000+ in tests) and below the kernel's
    // ephemeral range (32768–60999 on Linux). A port handed out by binding port 0 comes from the
    // ephemeral range, which every outgoing connection of the suite draws from too, so in the
    // seconds before its process binds it (an Api starting, then its nginx) a client socket could
    // take it ("Address already in use", seen in CI). Nothing takes a port from this range on its own.
    private const int First = 21_000;
    private const int End = 30_000;

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            if (IsFree(port))
            {
                return port;
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
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
