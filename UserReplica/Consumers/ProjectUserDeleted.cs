using ConcertBooking.Contracts;
using MassTransit;

namespace ConcertBooking.UserReplica.Consumers;

public sealed class ProjectUserDeleted(UserProjection projection) : IConsumer<UserDeleted>
{
    public Task Consume(ConsumeContext<UserDeleted> context) =>
        projection.ApplyAsync(context.Message, deleted: true, context.CancellationToken);
}
