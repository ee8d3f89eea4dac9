using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ConcertBooking.Messaging.Database;

public static class DatabaseProviders
{
    public static DatabaseProvider Of(DbContext db) => db.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => DatabaseProvider.Postgres,
        "Microsoft.EntityFrameworkCore.SqlServer" => DatabaseProvider.SqlServer,
        var name => throw new NotSupportedException($"Database provider '{name}' is not supported."),
    };

    /// <summary>True when the failure is a unique-constraint violation, on either provider.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.IsUniqueViolationOf(constraint: null);

    /// <summary>True when the failure is a unique violation of the named constraint or index (of any, when null).</summary>
    public static bool IsUniqueViolationOf(this DbUpdateException exception, string? constraint) => exception.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation
            && (constraint is null || postgres.ConstraintName == constraint),
        SqlException sqlServer => sqlServer.Number is 2601 or 2627
            && (constraint is null || sqlServer.Message.Contains($"'{constraint}'", StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>True when retrying later may succeed: the database was unreachable, restarting or overloaded.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        SqlException sqlServer => sqlServer.IsTransient,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        DbException { IsTransient: true } => true,
        TimeoutException => true,
        _ => false,
    };
}
