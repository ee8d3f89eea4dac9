using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Database;

/// <summary>
/// A service's DbContext. Every transaction a service opens rolls back whole when a save in it fails (or lets the
/// exception end it), so EF Core's savepoint around each save in a transaction is never rolled back to: on
/// PostgreSQL each was a subtransaction and a RELEASE round trip (Npgsql sends the SAVEPOINT itself with the next
/// statement) per save on the crowd's paths: the hold, the top-up and the payment's two saves. In a flash sale's
/// profile about 4% of ConcertService's and 7% of PaymentService's samples went through them. Code that must survive
/// a failed statement inside a transaction makes its own savepoint. Set in the constructor, so a pooled context
/// returns to it with every lease.
/// </summary>
public abstract class ServiceDbContext : DbContext
{
    protected ServiceDbContext(DbContextOptions options)
        : base(options)
    {
        Database.AutoSavepointsEnabled = false;
    }
}
