using ConcertBooking.Contracts;
using ConcertBooking.TokenService.Concerts;
using MassTransit;

namespace ConcertBooking.TokenService.Consumers;

public sealed class ProjectConcertScheduled(ProjectConcert projection) : IConsumer<ConcertScheduled>
{
    public Task Consume(ConsumeContext<ConcertScheduled> context) =>
        projection.ApplyAsync(context.Message, context.CancellationToken);
}
