using ConcertBooking.Contracts;

namespace ConcertBooking.UserService.Users;

/// <summary>The source of truth for a user. Every change bumps <see cref="Version"/> and yields the event that says so.</summary>
public sealed class User
{
    private User()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Email { get; private set; } = "";

    /// <summary>The email as compared for uniqueness: emails are unique ignoring case.</summary>
    public string NormalizedEmail { get; private set; } = "";

    /// <summary>1 at signup, +1 per change; also the optimistic concurrency token.</summary>
    public long Version { get; private set; }

    /// <summary>
    /// The password's hash (ASP.NET Core Identity format v3: PBKDF2, salt and cost inside); null for an account from
    /// before passwords, which cannot sign in. Never in an event, a response or a log.
    /// </summary>
    public string? PasswordHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public static (User User, UserCreated Event) SignUp(string name, string email, string passwordHash, DateTimeOffset now)
    {
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            Name = name.Trim(),
            Email = email.Trim(),
            NormalizedEmail = Normalize(email),
            PasswordHash = passwordHash,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return (user, new UserCreated(user.Id, user.Name, user.Email, user.Version, now));
    }

    /// <returns>The event, or null when nothing changed (no new version, nothing to publish).</returns>
    public UserUpdated? Change(string? name, string? email, DateTimeOffset now)
    {
        var newName = name?.Trim() ?? Name;
        var newEmail = email?.Trim() ?? Email;
        if (newName == Name && newEmail == Email)
        {
            return null;
        }

        Name = newName;
        Email = newEmail;
        NormalizedEmail = Normalize(newEmail);
        Version++;
        UpdatedAt = now;
        return new UserUpdated(Id, Name, Email, Version, now);
    }

    /// <summary>The same password hashed again (a higher cost configured): no new version, no event, since no replica holds it.</summary>
    public void ChangePasswordHash(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>The event of the user's removal: who and the next version, none of their data.</summary>
    public UserDeleted Delete(DateTimeOffset now) => new(Id, Version + 1, now);
}
