using System.Net;
using System.Net.Sockets;

namespace ConcertBooking.Testing;

/// <summary>
/// A TCP forwarder in front of a real server (the broker, the database, a service) that can cut and restore it: the
/// client then sees the server unreachable (connections reset, new ones refused) without stopping it for everyone
/// else. It can also hold every answer for a while: a slow server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public ushort Port => (ushort)((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How long each chunk the server sends back is held before it is passed on; zero (the default) for none. Takes effect at once, on open connections too.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Resets every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                Reset(client);
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                Reset(inbound);
                continue;
            }

            _ = ForwardAsync(inbound);
        }
    }

    /// <summary>Closes with RST, as a dead network path looks to the peer, rather than a polite FIN.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (ObjectDisposedException)
        {
            // Already closed: resetting one side of a pair ends its forwarding, which closes the other side at once.
        }

        client.Close();
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            lock (_open)
            {
                // Listed before the onward connect, so that a cut during it resets this connection too. Cut sets the flag
                // before it takes the lock, so every connection is either reset there or sees the flag here.
                if (_cut)
                {
                    Reset(inbound);
                    return;
                }

                _open.Add(inbound);
                _open.Add(outbound);
            }

            await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);

            await using var a = inbound.GetStream();
            await using var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stop.Token), CopyAnswersAsync(b, a));
        }
        catch (Exception)
        {
            // A cut, a closed peer or a server that is gone: both sides are closed below, which is what the caller wants.
        }
        finally
        {
            // Forgotten once closed, so that the list holds only live connections.
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Close();
            outbound.Close();
        }
    }

    private async Task CopyAnswersAsync(Stream server, Stream client)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await server.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(ResponseDelay, _stop.Token);
            }

            await client.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
