using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConcertBooking.Messaging.Operations;

internal sealed class OutboxStatusReader<TDbContext>(IServiceScopeFactory scopeFactory, TimeProvider timeProvider) : IOutboxStatusReader
    where TDbContext : DbContext
{
    public async Task<OutboxStatus> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await OutboxStatusQuery.ReadAsync(scope.ServiceProvider.GetRequiredService<TDbContext>(), timeProvider.GetUtcNow(), cancellationToken);
    }
}
