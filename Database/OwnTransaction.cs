using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ConcertBooking.Database;

/// <summary>An action's transaction: its own, or none when its caller already has one open (and commits it).</summary>
public static class OwnTransaction
{
    public static async Task<IDbContextTransaction?> BeginUnlessJoinedAsync(this DatabaseFacade database, CancellationToken cancellationToken) =>
        database.CurrentTransaction is null ? await database.BeginTransactionAsync(cancellationToken) : null;
}
