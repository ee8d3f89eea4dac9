using System.Data.Common;
using ConcertBooking.Messaging.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// Holds one consumer's transaction open right after its first database command has run, until the test opens the
/// gate: a race between that consumer and an endpoint made to happen in the worst order, deterministically. An EF Core
/// interceptor (registered as <see cref="IInterceptor"/>) that recognises the consumer by the inbox entry its
/// transaction stages, and stops only the first delivery it sees after <see cref="Arm"/>, so the other tests of a
/// fixture that shares it run through.
/// </summary>
public sealed class ConsumerGate(string consumer) : DbCommandInterceptor
{
    private volatile TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource _heldCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _taken = 1;

    /// <summary>Completes when the consumer has run its first command and waits at the gate.</summary>
    public Task Reached => _reached.Task;

    /// <summary>
    /// Completes when the held delivery's own token is cancelled while it waits (its partition revoked or its service
    /// stopping, past the grace period): the gate holds it all the same until opened.
    /// </summary>
    public Task HeldCancelled => _heldCancelled.Task;

    /// <summary>Stops the consumer's next delivery; armed again after it was opened, it stops the one after that.</summary>
    public void Arm()
    {
        // A delivery still held from the last arming (its test failed before opening) goes on rather than wait for good.
        _opened.TrySetResult();
        _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _heldCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _taken, 0);
    }

    public void Open() => _opened.TrySetResult();

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await WaitAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await WaitAsync(eventData.Context, cancellationToken);
        return result;
    }

    private async Task WaitAsync(DbContext? context, CancellationToken cancellationToken)
    {
        var mine = context?.ChangeTracker.Entries<InboxMessage>().Any(e => e.State == EntityState.Added && e.Entity.Consumer == consumer) == true;
        if (!mine || Interlocked.Exchange(ref _taken, 1) == 1)
        {
            return;
        }

        var (opened, cancelled) = (_opened.Task, _heldCancelled);
        await using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
        _reached.TrySetResult();
        await opened;
    }
}
