using ConcertBooking.Contracts;
using MassTransit;

namespace ConcertBooking.UserReplica.Consumers;

public sealed class ProjectUserCreated(UserProjection projection) : IConsumer<UserCreated>
{
    public Task Consume(ConsumeContext<UserCreated> context) =>
        projection.ApplyAsync(context.Message, context.CancellationToken);
}
