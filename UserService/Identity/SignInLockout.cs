using ConcertBooking.Database;
using ConcertBooking.UserService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ConcertBooking.UserService.Identity;

/// <summary>
/// Slows guessing down: an email gets <c>Identity:MaxFailedSignIns</c> attempts in a row, then it is locked out for
/// <c>Identity:LockoutDuration</c>. An attempt is counted before its password is checked, by a conditional UPDATE,
/// so concurrent guesses cannot get past the limit either; a success resets the count.
/// </summary>
public sealed class SignInLockout(UserDbContext db, IOptions<IdentityIssuerOptions> options)
{
    /// <returns>Null when this attempt may check its password; else until when the email is locked out.</returns>
    public async Task<DateTimeOffset?> BeginAttemptAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(key, now, cancellationToken))
        {
            return null;
        }

        var throttle = await db.SignInThrottles.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (throttle is null)
        {
            // The first attempt for this email: its row, then the claim again (a concurrent first attempt may add it).
            db.SignInThrottles.Add(new SignInThrottle { Key = key });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
            }
            finally
            {
                db.ChangeTracker.Clear();
            }

            if (await ClaimAsync(key, now, cancellationToken))
            {
                return null;
            }

            throttle = await db.SignInThrottles.AsNoTracking().FirstAsync(t => t.Key == key, cancellationToken);
        }

        // Locked; or the last allowed attempt is being checked right now and has not locked the email yet.
        return throttle.LockedUntil > now ? throttle.LockedUntil : now + options.Value.LockoutDuration;
    }

    /// <summary>The password did not match: once the attempts reached the limit, lock the email out and start counting anew.</summary>
    public async Task FailedAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.SignInThrottles.Where(t => t.Key == key && t.Failures >= options.Value.MaxFailedSignIns)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.LockedUntil, now + options.Value.LockoutDuration).SetProperty(t => t.Failures, 0), cancellationToken);

    public async Task SucceededAsync(string key, CancellationToken cancellationToken) =>
        await db.SignInThrottles.Where(t => t.Key == key && t.Failures > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Failures, 0), cancellationToken);

    /// <summary>One more attempt, if the email is not locked and has attempts left.</summary>
    private async Task<bool> ClaimAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.SignInThrottles
            .Where(t => t.Key == key && t.Failures < options.Value.MaxFailedSignIns && (t.LockedUntil == null || t.LockedUntil <= now))
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Failures, t => t.Failures + 1), cancellationToken) == 1;
}
