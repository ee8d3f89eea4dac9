using System.Net.Sockets;

namespace ConcertBooking.AppHost;

/// <summary>Whether something accepts connections on a port: the cheapest sign that a daemon is up.</summary>
internal static class TcpProbe
{
    public static bool Answers(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (Exception ex) when (ex is SocketException or AggregateException)
        {
            return false;
        }
    }
}
