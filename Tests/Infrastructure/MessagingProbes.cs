using ConcertBooking.Messaging.Diagnostics;
using ConcertBooking.Messaging;
using ConcertBooking.Messaging.Inbox;
using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ConcertBooking.Tests.Infrastructure;

public static class MessagingProbes
{
    public static async Task<int> InboxEntriesAsync<TDbContext>(IServiceProvider services, Guid messageId) where TDbContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TDbContext>()
            .Set<InboxMessage>().CountAsync(m => m.MessageId == messageId);
    }

    public static async Task<List<OutboxMessage>> OutboxAsync<TDbContext>(IServiceProvider services) where TDbContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TDbContext>()
            .Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Sequence).ToListAsync();
    }

    /// <summary>Counts what one service's messaging reports, from now on (each host has its own meter).</summary>
    public static MetricCollector<long> Counter(IServiceProvider services, string instrument) =>
        new(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), MessagingMetrics.MeterName, instrument);

    public static long Sum(this MetricCollector<long> collector) =>
        collector.GetMeasurementSnapshot().Sum(m => m.Value);
}
