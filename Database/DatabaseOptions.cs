using System.ComponentModel.DataAnnotations;

namespace ConcertBooking.Database;

/// <summary>Bound from the <c>Database</c> section; the connection string is <c>ConnectionStrings:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    /// <summary>Apply pending migrations when the service starts (local runs, tests, single-instance deploys).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// PostgreSQL only: how many of its most used statements each connection prepares (after five uses), so the
    /// server parses and plans them once (Npgsql's <c>Max Auto Prepare</c>, which is off by default). A value in the
    /// connection string wins; 0 here turns it off.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>
    /// PostgreSQL only: whether Npgsql resets a connection's session state when it goes back to the pool (CLOSE ALL,
    /// RESET ALL, UNLISTEN *, advisory unlocks, DISCARD TEMP and SEQUENCES, run with the connection's next command).
    /// EF Core returns the connection after every command outside a transaction, so the reset would run with nearly
    /// every query. These services leave no session state behind (no SET, temporary table, LISTEN or session advisory
    /// lock), so it is off; turn it on for code that does.
    /// </summary>
    public bool ResetSessionOnReturn { get; set; }
}
