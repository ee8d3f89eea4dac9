using ConcertBooking.Contracts;
using ConcertBooking.TokenService.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Consumers;

/// <summary>
/// A deleted user's queue tokens and entry passes go with them: a place in a queue is of no use to anyone else, and
/// a pass names the user. The delete runs in the inbox's transaction, so a redelivery changes nothing more.
/// </summary>
public sealed class ForgetDeletedUsersTokens(TokenDbContext db) : IConsumer<UserDeleted>
{
    public Task Consume(ConsumeContext<UserDeleted> context) =>
        db.QueueTokens.Where(t => t.UserId == context.Message.UserId).ExecuteDeleteAsync(context.CancellationToken);
}
