using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Messaging;

public static class MessagingModelBuilderExtensions
{
    /// <summary>Maps the outbox and inbox tables into the service's own schema.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("OutboxMessages");
            outbox.HasKey(m => m.Sequence);
            outbox.Property(m => m.Sequence).ValueGeneratedOnAdd();
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.Property(m => m.MessageType).HasMaxLength(300);
            outbox.Property(m => m.PartitionKey).HasMaxLength(200);
            outbox.Property(m => m.TraceParent).HasMaxLength(100);
            outbox.Property(m => m.LastError).HasMaxLength(2000);
            outbox.Property(m => m.DiscardReason).HasMaxLength(OutboxMessage.DiscardReasonMaxLength);

            // Partial indexes, so that the relay's lookups cost the same however many dispatched rows the retention keeps:
            // an index on (DispatchedAt, Sequence) does not give PostgreSQL the pending rows in Sequence order, it walks
            // the primary key past every dispatched row instead. The filters are standard SQL (double-quoted names),
            // which SQL Server reads as such with QUOTED_IDENTIFIER ON, the setting a filtered index requires anyway.
            // The claim: rows the relay may publish, oldest first (also the oldest-pending lookup of the status).
            outbox.HasIndex(m => m.Sequence, "IX_OutboxMessages_Claimable").HasFilter("\"DispatchedAt\" IS NULL AND \"ParkedAt\" IS NULL");
            // The order guard: a key's rows that have not left the outbox, parked ones included since they hold their key.
            outbox.HasIndex(m => new { m.PartitionKey, m.Sequence }, "IX_OutboxMessages_PendingByKey").HasFilter("\"DispatchedAt\" IS NULL");
            // Parked rows, and discarded ones until their retention: few, listed by operators.
            outbox.HasIndex(m => m.Sequence, "IX_OutboxMessages_Parked").HasFilter("\"ParkedAt\" IS NOT NULL");
            // Cleanup and the count of dispatched rows: by dispatch time. Dispatched rows only: unfiltered, it also answers
            // "DispatchedAt IS NULL" in Sequence order, which PostgreSQL preferred for the claim's per-key lookup on stale
            // statistics, walking the whole backlog for every candidate row (OutboxClaim).
            outbox.HasIndex(m => new { m.DispatchedAt, m.Sequence }).HasFilter("\"DispatchedAt\" IS NOT NULL");
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("InboxMessages");
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.Consumer).HasMaxLength(200);
            inbox.HasIndex(m => m.ReceivedAt);
        });

        return modelBuilder;
    }
}
