using ConcertBooking.Messaging;
using ConcertBooking.TokenService.Data;
using Microsoft.Extensions.Options;

namespace ConcertBooking.TokenService.Queue;

/// <summary>
/// Inserts the queue's new tokens with group commit (<see cref="GroupCommit{TMember}"/>): in a flash crowd, the
/// entries that reach their insert while others commit go in together, one statement batch and one commit, where each
/// cost a round trip and a commit of its own. A lone entry is inserted at once, by itself.
/// </summary>
public sealed partial class QueueEntryInserts
{
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<QueueEntryInserts> _logger;
    private readonly GroupCommit<QueueToken>? _groupCommit;

    public QueueEntryInserts(IServiceScopeFactory scopes, IOptions<QueueOptions> options, TimeProvider time, ILogger<QueueEntryInserts> logger)
    {
        _scopes = scopes;
        _logger = logger;
        var queue = options.Value;
        _groupCommit = queue.EntryInsertBatchSize > 1
            ? new GroupCommit<QueueToken>(queue.ConcurrentEntryInserts, queue.EntryInsertBatchSize, TimeSpan.Zero, time)
            : null;
    }

    /// <summary>Entries waiting for a turn to insert; for tests that line a group up.</summary>
    public int Waiting => _groupCommit?.Waiting ?? 0;

    /// <summary>
    /// Inserts <paramref name="token"/> together with other entries, or through <paramref name="insertAlone"/> (the
    /// entry's own save, which answers a racing entry of the same user) when it goes by itself or the group's insert
    /// failed.
    /// </summary>
    public Task InsertAsync(QueueToken token, Func<Task> insertAlone, CancellationToken cancellationToken) =>
        _groupCommit is null
            ? insertAlone()
            : _groupCommit.RunAsync(token, InsertTogetherAsync, _ => insertAlone(), cancellationToken);

    private async Task<bool> InsertTogetherAsync(IReadOnlyList<QueueToken> tokens, CancellationToken _)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TokenDbContext>();
        db.QueueTokens.AddRange(tokens);
        try
        {
            // Other requests' entries ride on this save, so the leading request's abort does not cut it short: a commit
            // cut off would leave every entry in it unsure whether it entered. It takes milliseconds.
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (Exception exception)
        {
            // One user entering twice at once (the unique index refuses the second), or the database away: each entry
            // goes alone to get its own answer. Nothing was inserted, or, when only the commit's answer was lost, all of
            // it, which each entry's own insert then finds as its token. EF Core keeps the values it read back (the
            // sequence) to itself until a save succeeds, so the tokens go alone as they came.
            LogInsertedAlone(_logger, tokens.Count, exception.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A group of {Count} queue entries rolled back ({Reason}); inserting each alone")]
    private static partial void LogInsertedAlone(ILogger logger, int count, string reason);
}
