namespace ConcertBooking.Messaging;

/// <summary>
/// What the messaging core (and the replicas built on it) need from a database provider that EF Core does not say in a
/// provider-neutral way.
/// One implementation per provider (the Database project), registered with the service's DbContext.
/// </summary>
public interface IDatabaseDialect
{
    /// <summary>
    /// A SELECT of up to <paramref name="limit"/> rows of <paramref name="table"/> (aliased <c>o</c>) matching
    /// <paramref name="where"/>, in <paramref name="orderBy"/> order, that locks the rows it returns and skips rows
    /// other transactions hold, instead of waiting for them: how several relays share the outbox without claiming a
    /// row twice. Identifiers arrive delimited; <c>{0}</c> in <paramref name="where"/> is the query's one parameter.
    /// </summary>
    string SelectForUpdateSkipLocked(string table, string where, string orderBy, int limit);

    /// <summary>
    /// One statement that inserts a row into <paramref name="table"/> or, where a row with the same <paramref name="key"/>
    /// exists, updates it only when its <paramref name="version"/> is lower than the new row's; otherwise it leaves the row
    /// as it is and affects none. How a replica applies an event without reading the row first, and converges whatever
    /// the order events arrive in. Identifiers arrive delimited; <c>{i}</c> is the value of <paramref name="columns"/>[i],
    /// and the columns include the key and the version.
    /// </summary>
    string UpsertWhereNewer(string table, IReadOnlyList<string> columns, string key, string version);

    /// <summary>True when retrying later may succeed: the database was unreachable, restarting, failing over or overloaded.</summary>
    bool IsTransient(Exception exception);

    /// <summary>The most connections the provider's pool opens for <paramref name="connectionString"/>; null when pooling is off.</summary>
    int? ConnectionPoolSize(string connectionString);

    /// <summary>True when <paramref name="exception"/> (or its inner exception) is a unique violation of the named constraint or index (of any, when null).</summary>
    bool IsUniqueViolation(Exception exception, string? constraintName = null);
}
