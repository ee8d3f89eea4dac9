using ConcertBooking.Contracts;
using MassTransit;

namespace ConcertBooking.UserReplica.Consumers;

public sealed class ProjectUserUpdated(UserProjection projection) : IConsumer<UserUpdated>
{
    public Task Consume(ConsumeContext<UserUpdated> context) =>
        projection.ApplyAsync(context.Message, context.CancellationToken);
}
