using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>Every <c>Queue:AdmissionInterval</c>, from the start: one round of <see cref="AdmitWaitingTokens"/>.</summary>
public sealed partial class QueueAdmitter(
    IServiceScopeFactory scopeFactory, IOptions<QueueOptions> options, TimeProvider time, ILogger<QueueAdmitter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AdmissionInterval, time);
        do
        {
            try
            {
                await AdmitAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again (database restarting, a deadlock); the queue only waits a little longer.
                LogAdmissionFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task<int> AdmitAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AdmitWaitingTokens>().AdmitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admitting queue tokens failed; retrying at the next interval")]
    private static partial void LogAdmissionFailed(ILogger logger, Exception exception);
}
