using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ConcertBooking.Testing;

/// <summary>A RabbitMQ virtual host of its own, so queues left by other runs or fixtures never leak in.</summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private static int _counter;
    private readonly HttpClient _management;

    private RabbitMqVirtualHost(string name, HttpClient management)
    {
        Name = name;
        _management = management;
    }

    public string Name { get; }

    /// <param name="prefix">Says whose it is to anyone listing the broker's virtual hosts (a test run's, the bench's).</param>
    public static async Task<RabbitMqVirtualHost> CreateAsync(string prefix = "cb-test")
    {
        var name = $"{prefix}-{TestEnvironment.RunId}-{Interlocked.Increment(ref _counter)}";
        var management = new HttpClient { BaseAddress = TestEnvironment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.RabbitMqUser}:{TestEnvironment.RabbitMqPassword}")));

        (await management.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync(
            $"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(TestEnvironment.RabbitMqUser)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new RabbitMqVirtualHost(name, management);
    }

    /// <summary>Ready messages in a queue of this virtual host, or null when the queue does not exist.</summary>
    public async Task<long?> MessagesInQueueAsync(string queue)
    {
        var response = await _management.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number
            ? messages.GetInt64()
            : 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        }
        finally
        {
            _management.Dispose();
        }
    }
}
