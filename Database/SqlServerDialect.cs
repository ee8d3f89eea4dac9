using System.Collections.Frozen;
using ConcertBooking.Messaging;
using Microsoft.Data.SqlClient;

namespace ConcertBooking.Database;

/// <summary>
/// SQL Server's locking claim and failure classification. <see cref="SqlException"/> does not override
/// <c>DbException.IsTransient</c> (it is always false), so transient failures are recognised by error number, the
/// way EF Core's SQL Server execution strategy does, plus what a failover looks like from a client: broken
/// connections, a database in transition, and a pool that runs dry while the server is away.
/// </summary>
public sealed class SqlServerDialect : IDatabaseDialect
{
    public static readonly SqlServerDialect Instance = new();

    /// <summary>Severity 20 and above closes the connection: the command did not run and a new connection may succeed.</summary>
    private const byte ConnectionFatalSeverity = 20;

    private static readonly FrozenSet<int> TransientErrors = FrozenSet.ToFrozenSet(
    [
        // Command timed out: every write here runs in a transaction with an inbox entry or a conditional update, so
        // running it again is safe even when the first attempt committed after all.
        -2,
        // Connection refused, reset or lost (TCP and named-pipes providers, pre-login and login failures).
        20, 53, 64, 121, 233, 10053, 10054, 10060, 11001,
        // Database starting, recovering, in transition or not yet online: what a failover looks like from a client.
        615, 921, 941, 952, 988, 4060, 4221, 18401, 40613, 49802,
        // Availability-group and mirroring states that clear by themselves.
        976, 978, 983, 1413, 1421, 3948, 3953, 35216, 35218,
        // Deadlock victim, lock and resource shortages.
        1204, 1205, 1222, 3960, 3966, 8645, 8651, 17197, 17889,
        // Azure SQL throttling and service errors.
        10928, 10929, 10936, 40143, 40197, 40501, 40540, 40642, 40675, 49918, 49919, 49920,
        // In-memory OLTP validation and dependency failures.
        41301, 41302, 41305, 41325, 41839,
    ]);

    public string SelectForUpdateSkipLocked(string table, string where, string orderBy, int limit) =>
        $"SELECT TOP ({limit}) o.* FROM {table} o WITH (UPDLOCK, ROWLOCK, READPAST) WHERE {where} ORDER BY {orderBy}";

    /// <summary>
    /// An UPDATE guarded by the version, then an INSERT when no row has the key. The key-range locks (UPDLOCK, HOLDLOCK)
    /// taken by the UPDATE, even when it matches nothing, keep a concurrent writer of the same key out until this
    /// transaction ends, so the INSERT cannot collide; MERGE would do the same in one statement but has a history of bugs.
    /// </summary>
    public string UpsertWhereNewer(string table, IReadOnlyList<string> columns, string key, string version)
    {
        int Index(string column) => columns.ToList().IndexOf(column);
        var updates = string.Join(", ", columns.Where(c => c != key).Select(c => $"t.{c} = {{{Index(c)}}}"));
        var values = string.Join(", ", columns.Select((_, i) => $"{{{i}}}"));
        return $"UPDATE t SET {updates} FROM {table} AS t WITH (UPDLOCK, HOLDLOCK) WHERE t.{key} = {{{Index(key)}}} AND t.{version} < {{{Index(version)}}}; " +
            $"IF @@ROWCOUNT = 0 AND NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {key} = {{{Index(key)}}}) " +
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({values});";
    }

    public bool IsTransient(Exception exception) => DatabaseFailures.Unwrap(exception) switch
    {
        SqlException sql => sql.Class >= ConnectionFatalSeverity
            || sql.Errors.Cast<SqlError>().Any(error => TransientErrors.Contains(error.Number)),
        // SqlClient says "Timeout expired ... prior to obtaining a connection from the pool" with no error number.
        InvalidOperationException pool when pool.Message.Contains("obtaining a connection from the pool", StringComparison.Ordinal) => true,
        TimeoutException => true,
        _ => false,
    };

    public int? ConnectionPoolSize(string connectionString) =>
        new SqlConnectionStringBuilder(connectionString) is { Pooling: true } builder ? builder.MaxPoolSize : null;

    public bool IsUniqueViolation(Exception exception, string? constraintName = null) =>
        DatabaseFailures.Unwrap(exception) is SqlException { Number: 2601 or 2627 } sql
        && (constraintName is null || sql.Message.Contains($"'{constraintName}'", StringComparison.Ordinal));
}
