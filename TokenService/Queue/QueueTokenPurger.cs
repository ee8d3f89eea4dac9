using ConcertBooking.Messaging.Housekeeping;
using ConcertBooking.TokenService.Data;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// Every <c>Queue:PurgeInterval</c>: deletes the tokens that waited longer than <c>Queue:WaitingTokenLifetime</c>,
/// and the admissions that expired more than <c>Queue:ExpiredTokenRetention</c> ago, with their entry passes. So the
/// table holds the queues that are live, not every token ever issued.
/// </summary>
public sealed partial class QueueTokenPurger(
    IServiceScopeFactory scopeFactory, IOptions<QueueOptions> options, TimeProvider time, ILogger<QueueTokenPurger> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var enteredBefore = now - options.Value.WaitingTokenLifetime;
        var expiredBefore = now - options.Value.ExpiredTokenRetention;
        var waiting = await BoundedDelete.RunAsync<TokenDbContext, QueueToken>(scopeFactory, db => db.QueueTokens
            .Where(t => t.Status == QueueTokenStatus.Waiting && t.EnteredAt < enteredBefore).OrderBy(t => t.Sequence), cancellationToken);
        var expired = await BoundedDelete.RunAsync<TokenDbContext, QueueToken>(scopeFactory, db => db.QueueTokens
            .Where(t => t.Status != QueueTokenStatus.Waiting && t.ExpiresAt < expiredBefore).OrderBy(t => t.Sequence), cancellationToken);
        if (waiting + expired > 0)
        {
            LogPurged(logger, waiting, expired);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Waiting} queue tokens that waited too long and {Expired} expired admissions")]
    private static partial void LogPurged(ILogger logger, int waiting, int expired);
}
