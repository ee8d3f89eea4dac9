using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConcertBooking.Messaging.Housekeeping;

/// <summary>
/// A background job that runs at start and then every <see cref="Interval"/>. A failed run is logged and the next
/// tick tries again: what a job works on stays in the database, so nothing is lost by waiting.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = timeProvider;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, exception, GetType().Name, Interval);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; it runs again in {Interval}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string job, TimeSpan interval);
}
