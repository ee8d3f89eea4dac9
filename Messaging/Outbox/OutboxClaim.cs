using ConcertBooking.Messaging.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// The one piece of provider-specific SQL: claim a batch of due rows with row locks that other relay instances
/// skip instead of waiting for, so several instances share the work without claiming a row twice.
/// </summary>
internal static class OutboxClaim
{
    public static Task<List<OutboxMessage>> ClaimAsync(DbContext db, int batchSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = BuildSql(db, batchSize);
        return db.Set<OutboxMessage>().FromSqlRaw(sql, now).ToListAsync(cancellationToken);
    }

    internal static string BuildSql(DbContext db, int batchSize)
    {
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))
            ?? throw new InvalidOperationException($"{db.GetType().Name} does not map the outbox: call modelBuilder.AddOutboxAndInbox().");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);

        var from = sql.DelimitIdentifier(table.Name, table.Schema);
        var dispatchedAt = Column(nameof(OutboxMessage.DispatchedAt));
        var nextAttemptAt = Column(nameof(OutboxMessage.NextAttemptAt));
        var sequence = Column(nameof(OutboxMessage.Sequence));

        return DatabaseProviders.Of(db) switch
        {
            DatabaseProvider.Postgres =>
                $"SELECT * FROM {from} WHERE {dispatchedAt} IS NULL AND {nextAttemptAt} <= {{0}} " +
                $"ORDER BY {sequence} LIMIT {batchSize} FOR UPDATE SKIP LOCKED",
            DatabaseProvider.SqlServer =>
                $"SELECT TOP ({batchSize}) * FROM {from} WITH (UPDLOCK, ROWLOCK, READPAST) " +
                $"WHERE {dispatchedAt} IS NULL AND {nextAttemptAt} <= {{0}} ORDER BY {sequence}",
            var other => throw new NotSupportedException($"No outbox claim query for {other}."),
        };
    }
}
