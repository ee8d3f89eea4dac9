using ConcertBooking.Contracts;
using ConcertBooking.TokenService.Concerts;
using ConcertBooking.Messaging.Inbox;
using MassTransit;

namespace ConcertBooking.TokenService.Consumers;

[UnboundedTransientRetry]
public sealed class ProjectConcertScheduled(ProjectConcert projection) : IConsumer<ConcertScheduled>
{
    public Task Consume(ConsumeContext<ConcertScheduled> context) =>
        projection.ApplyAsync(context.Message, context.CancellationToken);
}
