using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Counts the savepoints EF Core creates in a service's transactions.</summary>
public sealed class SavepointCounter : DbTransactionInterceptor
{
    private int _created;

    public int Created => Volatile.Read(ref _created);

    public override InterceptionResult CreatingSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Interlocked.Increment(ref _created);
        return result;
    }

    public override ValueTask<InterceptionResult> CreatingSavepointAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _created);
        return ValueTask.FromResult(result);
    }
}
