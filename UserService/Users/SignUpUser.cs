using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

/// <summary>Signs a user up: the row and its UserCreated in one transaction.</summary>
public sealed class SignUpUser(UserDbContext db, IOutbox outbox, TimeProvider time)
{
    public async Task<SignUpResult> SignUpAsync(string name, string email, CancellationToken cancellationToken)
    {
        // No lookup first: the unique index on the normalised email answers a taken email in the same round trip
        // as the insert, and it is what decides between concurrent signups anyway.
        var (user, created) = User.SignUp(name, email, time.GetUtcNow());
        db.Users.Add(user);
        outbox.Add(created, partitionKey: user.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return new SignUpResult.EmailTaken(user.Email);
        }

        return new SignUpResult.SignedUp(user);
    }
}
