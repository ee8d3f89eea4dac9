using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Messaging.Housekeeping;

/// <summary>
/// Deletes what a query selects in chunks, each its own short transaction: a day of rows in one statement would hold
/// its locks for the whole delete, and on SQL Server escalate to a table lock that the relay's READPAST cannot skip.
/// </summary>
public static class BoundedDelete
{
    /// <summary>Rows per statement: below SQL Server's lock-escalation threshold (about 5,000 locks).</summary>
    public const int ChunkSize = 1000;

    public static async Task<int> RunAsync<TDbContext, TEntity>(
        IServiceScopeFactory scopeFactory, Func<TDbContext, IQueryable<TEntity>> select, CancellationToken cancellationToken)
        where TDbContext : DbContext
        where TEntity : class
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var deleted = await select(scope.ServiceProvider.GetRequiredService<TDbContext>()).Take(ChunkSize).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < ChunkSize)
            {
                break;
            }
        }

        return total;
    }
}
