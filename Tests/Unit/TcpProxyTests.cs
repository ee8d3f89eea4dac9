using System.Net;
using System.Net.Sockets;
using ConcertBooking.Testing;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The fault proxy's cut is what fault tests rely on to say "the broker is unreachable": no connection may outlive it,
/// including one the proxy accepted but was still connecting onwards when the cut came.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class TcpProxyTests
{
    [Test]
    public async Task No_connection_carries_data_after_a_cut_even_one_still_being_set_up()
    {
        using var echo = new EchoServer();
        var survivors = 0;
        for (var round = 0; round < 20; round++)
        {
            await using var proxy = new TcpProxy(IPAddress.Loopback.ToString(), echo.Port);
            var clients = new List<TcpClient>();
            try
            {
                // The kernel completes these connects before the proxy accepts them, so some are still on their way
                // to the echo server when the cut comes.
                for (var i = 0; i < 16; i++)
                {
                    var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
                    clients.Add(client);
                }

                proxy.Cut();
                foreach (var client in clients)
                {
                    if (await EchoesAsync(client))
                    {
                        survivors++;
                    }
                }
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }

        Assert.That(survivors, Is.Zero, "connections that still reached the server after the cut");
    }

    [Test]
    public async Task A_restored_proxy_forwards_again()
    {
        using var echo = new EchoServer();
        await using var proxy = new TcpProxy(IPAddress.Loopback.ToString(), echo.Port);
        proxy.Cut();
        proxy.Restore();

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);

        Assert.That(await EchoesAsync(client), Is.True);
    }

    private static async Task<bool> EchoesAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync("ping"u8.ToArray(), timeout.Token);
            var buffer = new byte[4];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Answers every byte with itself.</summary>
    private sealed class EchoServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public EchoServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = EchoAsync(client);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        private async Task EchoAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    await client.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                }
                catch (Exception)
                {
                    // The proxy reset it or the test ended: nothing to echo any more.
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
