using ConcertBooking.Messaging;
using Npgsql;

namespace ConcertBooking.Database;

/// <summary>PostgreSQL's locking claim and failure classification.</summary>
public sealed class PostgresDialect : IDatabaseDialect
{
    public static readonly PostgresDialect Instance = new();

    public string SelectForUpdateSkipLocked(string table, string where, string orderBy, int limit) =>
        $"SELECT o.* FROM {table} o WHERE {where} ORDER BY {orderBy} LIMIT {limit} FOR UPDATE OF o SKIP LOCKED";

    /// <summary>
    /// <c>ON CONFLICT DO UPDATE ... WHERE</c>: a concurrent insert of the same key waits for the first to commit, then
    /// takes the update path, so two deliveries of one user's events never fail each other.
    /// </summary>
    public string UpsertWhereNewer(string table, IReadOnlyList<string> columns, string key, string version)
    {
        var values = string.Join(", ", columns.Select((_, i) => $"{{{i}}}"));
        var updates = string.Join(", ", columns.Where(c => c != key).Select(c => $"{c} = EXCLUDED.{c}"));
        return $"INSERT INTO {table} AS t ({string.Join(", ", columns)}) VALUES ({values}) " +
            $"ON CONFLICT ({key}) DO UPDATE SET {updates} WHERE t.{version} < EXCLUDED.{version}";
    }

    /// <summary>
    /// Npgsql's own verdict: network and timeout failures (a pool that stays exhausted included), and the server's
    /// "try again" states (shutting down, not accepting connections yet, out of resources, deadlock, serialization).
    /// </summary>
    public bool IsTransient(Exception exception) => DatabaseFailures.Unwrap(exception) switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };

    public int? ConnectionPoolSize(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) is { Pooling: true } builder ? builder.MaxPoolSize : null;

    public bool IsUniqueViolation(Exception exception, string? constraintName = null) =>
        DatabaseFailures.Unwrap(exception) is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && (constraintName is null || postgres.ConstraintName == constraintName);
}
