using ConcertBooking.Database;
using ConcertBooking.Messaging.Outbox;
using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Identity;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Users;

/// <summary>
/// Signs a user up: the row (with the password's hash, never the password) and its UserCreated (without either) in
/// one transaction.
/// </summary>
public sealed class SignUpUser(UserDbContext db, IOutbox outbox, PasswordHashing passwords, TimeProvider time)
{
    public async Task<SignUpResult> SignUpAsync(string name, string email, string password, CancellationToken cancellationToken)
    {
        // No lookup first: the unique index on the normalised email answers a taken email in the same round trip
        // as the insert, and it is what decides between concurrent signups anyway.
        var (user, created) = User.SignUp(name, email, passwords.Hash(password), time.GetUtcNow());
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
