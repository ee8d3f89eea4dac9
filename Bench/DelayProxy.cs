using System.Net;
using System.Net.Sockets;

namespace ConcertBooking.Bench;

/// <summary>A TCP forwarder that holds every answer of the upstream for <see cref="Delay"/>: a slow UserService.</summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _targetPort;
    private readonly Task _accepting;

    public DelayProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TimeSpan Delay { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ForwardAsync(inbound);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await using var client = inbound.GetStream();
            await using var server = outbound.GetStream();
            await Task.WhenAny(client.CopyToAsync(server, _stop.Token), CopyDelayedAsync(server, client));
        }
        catch (Exception)
        {
            // Upstream gone (a stopped UserService) or the caller gave up: close both sides.
        }
        finally
        {
            inbound.Close();
        }
    }

    private async Task CopyDelayedAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, _stop.Token);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
