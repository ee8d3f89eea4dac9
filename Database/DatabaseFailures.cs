using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Database;

/// <summary>What the services ask of a database failure, whichever provider raised it.</summary>
public static class DatabaseFailures
{
    /// <summary>True when the save failed on a unique constraint or index (any, or the named one), on either provider.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception, string? constraintName = null) =>
        PostgresDialect.Instance.IsUniqueViolation(exception, constraintName)
        || SqlServerDialect.Instance.IsUniqueViolation(exception, constraintName);

    /// <summary>
    /// The provider's own exception under EF Core's wrappers: a failed save (<see cref="DbUpdateException"/>) and a
    /// failure EF reports while enumerating or connecting (<see cref="InvalidOperationException"/>) carry it inside.
    /// </summary>
    internal static Exception Unwrap(Exception exception)
    {
        var current = exception;
        while (current is DbUpdateException or InvalidOperationException { InnerException: not null } && current.InnerException is { } inner)
        {
            current = inner;
        }

        return current;
    }
}
