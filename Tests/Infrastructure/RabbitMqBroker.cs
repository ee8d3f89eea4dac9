using System.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Stops and starts the real local broker (its application, not the Erlang node): every connection drops.</summary>
public static class RabbitMqBroker
{
    public static async Task StopAsync() => await RunAsync("rabbitmqctl", "-q", "stop_app");

    public static async Task StartAsync()
    {
        await RunAsync("rabbitmqctl", "-q", "start_app");
        await RunAsync("rabbitmqctl", "-q", "await_startup");
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{command} {string.Join(' ', arguments)}: {await errors}");
    }
}
