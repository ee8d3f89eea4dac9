using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace ConcertBooking.Messaging.Outbox;

/// <summary>
/// Signals the relay after a commit that wrote outbox rows: right after <c>SaveChanges</c> when it ran its own
/// transaction, or when the caller's explicit transaction commits. A rollback signals nothing.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object Marker = new();
    private readonly ConditionalWeakTable<DbContext, object> _writingOutbox = new();
    private readonly ConditionalWeakTable<DbTransaction, object> _transactionsWithOutbox = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    private void Track(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        if (HasAddedOutboxRows(context.ChangeTracker))
        {
            _writingOutbox.AddOrUpdate(context, Marker);
        }
    }

    /// <summary>
    /// Without change detection, which <c>Entries</c> otherwise runs first and <c>SaveChanges</c> runs again right after
    /// (3% of a replica's CPU per event): outbox rows are added to their set (IOutbox), so they are tracked from that
    /// moment, and detection could only find changed properties.
    /// </summary>
    private static bool HasAddedOutboxRows(ChangeTracker tracker)
    {
        var detects = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return tracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detects;
        }
    }

    private void AfterSave(DbContext? context)
    {
        if (context is null || !_writingOutbox.Remove(context))
        {
            return;
        }

        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
        {
            _transactionsWithOutbox.AddOrUpdate(transaction, Marker);
        }
        else
        {
            signal.Notify();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _writingOutbox.Remove(context);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_transactionsWithOutbox.Remove(transaction))
        {
            signal.Notify();
        }
    }
}
