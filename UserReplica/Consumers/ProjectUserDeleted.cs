using ConcertBooking.Contracts;
using MassTransit;

namespace ConcertBooking.UserReplica.Consumers;

public sealed class ProjectUserDeleted(UserProjection projection) : IConsumer<UserDeleted>
{
    public Task Consume(ConsumeContext<UserDeleted> context) =>
        projection.ApplyDeletedAsync(context.Message, context.CancellationToken);
}
