using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging.Inbox;

/// <summary>
/// One database transaction that several deliveries join, one after another: each consumer's own DbContext borrows the
/// batch's connection and transaction for its <c>SaveChanges</c>, with its inbox entry, and gives them back before the
/// batch commits. Ambient for the deliveries handled inside <see cref="IInboxBatches.TryRunTogetherAsync"/>.
/// </summary>
public sealed class InboxBatch
{
    private static readonly AsyncLocal<InboxBatch?> Ambient = new();
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly HashSet<(Guid MessageId, string Consumer)> _entries = [];
    private readonly List<Action> _afterCommit = [];
    private readonly Dictionary<DbContext, string> _connectionStrings = [];

    internal InboxBatch(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    internal static InboxBatch? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>Set once a delivery failed: the batch rolls back and each of its deliveries is handled alone.</summary>
    public bool Failed => Failure is not null;

    internal Exception? Failure { get; private set; }

    /// <summary>Inbox entries staged so far.</summary>
    public int Count => _entries.Count;

    internal void Fail(Exception exception) => Failure ??= exception;

    /// <summary>False when the batch already holds this consumer's entry for the message: a duplicate inside the batch.</summary>
    internal bool TryAdd(Guid messageId, string consumer) => _entries.Add((messageId, consumer));

    /// <summary>What a delivery reports once its changes are committed (its metrics), never before.</summary>
    internal void AfterCommit(Action report) => _afterCommit.Add(report);

    internal void Committed()
    {
        foreach (var report in _afterCommit)
        {
            report();
        }
    }

    /// <summary>Points a consumer's DbContext at the batch's connection and transaction.</summary>
    internal async Task EnlistAsync(DbContext db, CancellationToken cancellationToken)
    {
        var connectionString = db.Database.GetConnectionString()
            ?? throw new NotSupportedException($"{db.GetType().Name} has no connection string to return to after a batch.");
        db.Database.AutoSavepointsEnabled = false;
        db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
        await db.Database.UseTransactionAsync(_transaction, cancellationToken);
        _connectionStrings[db] = connectionString;
    }

    /// <summary>
    /// Gives the batch's connection back and restores the context's own, so a pooled context never keeps a connection it
    /// does not own, and a delivery handled alone after a failed batch starts from a clean context.
    /// </summary>
    internal async Task ReleaseAsync(DbContext db)
    {
        if (!_connectionStrings.Remove(db, out var connectionString))
        {
            return;
        }

        db.ChangeTracker.Clear();
        await db.Database.UseTransactionAsync(null);
        // Balances the open that UseTransaction counted; the connection itself stays open for the batch.
        await db.Database.CloseConnectionAsync();
        db.Database.SetDbConnection(null, contextOwnsConnection: true);
        db.Database.SetConnectionString(connectionString);
    }
}
