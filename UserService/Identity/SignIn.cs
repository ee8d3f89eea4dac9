using ConcertBooking.UserService.Data;
using ConcertBooking.UserService.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// Exchanges an email and password for an access token. An unknown email and a wrong password take the same path
/// (the same queries, a password hash verified either way) and give the same answer, so neither the answer nor its
/// timing tells whether an account exists.
/// </summary>
public sealed partial class SignIn(
    UserDbContext db, PasswordHashing passwords, SignInLockout lockout, AccessTokenIssuer tokens, TimeProvider time, ILogger<SignIn> logger)
{
    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var normalizedEmail = User.Normalize(email);
        var throttleKey = SignInThrottle.KeyFor(normalizedEmail);
        if (await lockout.BeginAttemptAsync(throttleKey, now, cancellationToken) is { } lockedUntil)
        {
            LogLockedOut(logger);
            return new SignInResult.LockedOut(lockedUntil - now);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        var verdict = passwords.Verify(user?.PasswordHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await lockout.FailedAsync(throttleKey, now, cancellationToken);
            LogFailed(logger);
            return new SignInResult.InvalidCredentials();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Hashed at a lower cost than now configured: upgrade while the password is at hand.
            user.ChangePasswordHash(passwords.Hash(password));
            await db.SaveChangesAsync(cancellationToken);
        }

        await lockout.SucceededAsync(throttleKey, cancellationToken);
        return new SignInResult.SignedIn(user.Id, tokens.Issue(user.Id));
    }

    // No email, password or token in the logs: only that it happened.
    [LoggerMessage(Level = LogLevel.Information, Message = "A sign-in was refused: unknown email or wrong password")]
    private static partial void LogFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in was refused: the email is locked out after repeated failures")]
    private static partial void LogLockedOut(ILogger logger);
}
