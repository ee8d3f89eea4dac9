using System.Collections.Concurrent;
using ConcertBooking.Messaging.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// A test-only fault in one consumer: an EF Core interceptor, registered in a service's (or a spec host's) services as
/// an <see cref="IInterceptor"/>, that throws when the inbox commits that consumer's transaction. It recognises the
/// consumer by the inbox entry the transaction stages, so the consumer's own code and everything else in the service
/// run untouched, and a failed attempt rolls back exactly as a database failure would.
/// </summary>
public sealed class ConsumerFault(string consumer) : SaveChangesInterceptor
{
    private readonly ConcurrentDictionary<Guid, int> _attempts = new();
    private Func<Exception>? _fault;
    private int _remaining;
    private Guid? _firstMessage;
    private bool _firstMessageOnly;

    /// <summary>Attempts seen (failed or not), per message id.</summary>
    public IReadOnlyDictionary<Guid, int> Attempts => _attempts;

    /// <summary>The message id <see cref="FailFirstMessage"/> fails, once it has arrived.</summary>
    public Guid? FirstMessage => _firstMessage;

    /// <summary>A database failing over: a failure the dialect calls transient.</summary>
    public static Exception Transient() => new TimeoutException("Test fault: the database is failing over.");

    /// <summary>A failure no retry can fix (a bug, a constraint): the dialect calls it permanent.</summary>
    public static Exception Permanent() => new InvalidOperationException("Test fault: a permanent failure.");

    /// <summary>The next <paramref name="times"/> attempts of the consumer fail with <paramref name="fault"/>.</summary>
    public ConsumerFault FailNext(int times, Func<Exception> fault)
    {
        _fault = fault;
        _firstMessageOnly = false;
        Volatile.Write(ref _remaining, times);
        return this;
    }

    /// <summary>
    /// Every attempt at the first message the consumer receives from now on fails with <paramref name="fault"/>, so
    /// that message is dead-lettered; any other message (a re-send has a new id) goes through.
    /// </summary>
    public ConsumerFault FailFirstMessage(Func<Exception> fault)
    {
        _fault = fault;
        _firstMessage = null;
        _firstMessageOnly = true;
        return this;
    }

    /// <summary>Every attempt at the message <paramref name="messageId"/> fails with <paramref name="fault"/>; any other goes through.</summary>
    public ConsumerFault FailMessage(Guid messageId, Func<Exception> fault)
    {
        _fault = fault;
        _firstMessage = messageId;
        _firstMessageOnly = true;
        return this;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Inspect(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Inspect(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    private void Inspect(DbContext? context)
    {
        var entry = context?.ChangeTracker.Entries<InboxMessage>()
            .FirstOrDefault(e => e.State == EntityState.Added && e.Entity.Consumer == consumer);
        if (entry is null)
        {
            return;
        }

        var messageId = entry.Entity.MessageId;
        _attempts.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        if (_fault is not { } fault)
        {
            return;
        }

        if (_firstMessageOnly)
        {
            lock (_attempts)
            {
                _firstMessage ??= messageId;
            }

            if (_firstMessage == messageId)
            {
                throw fault();
            }

            return;
        }

        if (Interlocked.Decrement(ref _remaining) >= 0)
        {
            throw fault();
        }
    }
}
