using System.Runtime.CompilerServices;
using ConcertBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ConcertBooking.UserReplica;

/// <summary>
/// The replica's write of one event in one statement: the user's row inserted, or updated when the event is newer than
/// the row. It takes the place of reading the row, so the round trips stay three (this, the inbox entry, the commit),
/// but no entity is materialised or tracked, the inbox's <c>SaveChanges</c> writes one row instead of two, and the
/// version comparison is the database's, under the row's lock.
/// </summary>
internal static class ReplicaUpsert
{
    private static readonly string[] Properties =
    [
        nameof(ReplicatedUser.Id), nameof(ReplicatedUser.Name), nameof(ReplicatedUser.Email), nameof(ReplicatedUser.Version),
        nameof(ReplicatedUser.IsDeleted), nameof(ReplicatedUser.ChangedAt), nameof(ReplicatedUser.ReplicatedAt),
    ];

    /// <summary>Per model, as the table's schema and the SQL's dialect are the model's.</summary>
    private static readonly ConditionalWeakTable<IModel, string> Statements = [];

    /// <returns>True when the row was written; false when it already holds this version or a newer one.</returns>
    public static async Task<bool> WriteAsync(DbContext db, IDatabaseDialect dialect, ReplicatedUser user, CancellationToken cancellationToken)
    {
        if (!Statements.TryGetValue(db.Model, out var sql))
        {
            sql = Statements.GetValue(db.Model, _ => BuildSql(db, dialect));
        }

        // In property order. A tombstone's name and email are null, which EF Core sends as database nulls (the parameter
        // list is annotated non-null all the same; DBNull.Value it refuses).
        var written = await db.Database.ExecuteSqlRawAsync(sql,
            [user.Id, user.Name!, user.Email!, user.Version, user.IsDeleted, user.ChangedAt, user.ReplicatedAt],
            cancellationToken);
        return written > 0;
    }

    internal static string BuildSql(DbContext db, IDatabaseDialect dialect)
    {
        var table = MappedTable.Of<ReplicatedUser>(db, "the user replica: call modelBuilder.AddUserReplica()");
        return dialect.UpsertWhereNewer(
            table.Name,
            [.. Properties.Select(table.Column)],
            table.Column(nameof(ReplicatedUser.Id)),
            table.Column(nameof(ReplicatedUser.Version)));
    }
}
