using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Whether a transaction in a PostgreSQL database waits for another's lock: the moment a race a test sets up is in place.</summary>
public static class LockWaits
{
    public static async Task<bool> AnyAsync(DbContext db) => await db.Database
        .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
        .SingleAsync() > 0;
}
