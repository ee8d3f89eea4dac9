namespace ConcertBooking.UserService.Identity;

/// <summary>
/// The password rules of NIST SP 800-63B (rev. 4, §3.1.1.2) for a password that is the only factor: at least 15
/// characters, counted as Unicode code points after normalisation; long passphrases allowed (up to
/// <see cref="MaximumLength"/>), never truncated; any printable character including spaces and Unicode; no composition
/// rules (no "one digit, one symbol"); and refused when it is a known-weak value: a common password, one character
/// repeated, a run like "123456…", the service's name, or the account's own email.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 15;
    public const int MaximumLength = 256;

    /// <summary>Common passwords long enough to pass the length rule (breach corpora are full of these), compared ignoring case and spaces.</summary>
    private static readonly HashSet<string> Blocklist = new(StringComparer.OrdinalIgnoreCase)
    {
        "passwordpassword", "password1234567", "password12345678", "123456789012345", "1234567890123456", "qwertyuiopasdfgh",
        "qwertyuiopasdfghjkl", "qwertyuiop123456", "1q2w3e4r5t6y7u8i", "iloveyouiloveyou", "letmeinletmein", "correcthorsebatterystaple",
        "abcdefghijklmnop", "adminadminadmin", "welcomewelcome123", "thequickbrownfox", "trustno1trustno1", "changemechangeme",
        "mypasswordispassword", "zaq12wsxcde34rfv",
    };

    private const string ServiceName = "concertbooking";

    /// <returns>Why the password is refused, or null when it is acceptable.</returns>
    public static string? Check(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Password is required.";
        }

        var normalized = PasswordHashing.Normalize(password);
        var length = CountCodePoints(normalized);
        if (length < MinimumLength)
        {
            return $"Password must be at least {MinimumLength} characters; a passphrase of a few words is easy to remember.";
        }

        if (length > MaximumLength)
        {
            return $"Password must be at most {MaximumLength} characters.";
        }

        if (normalized.Any(char.IsControl))
        {
            return "Password must not contain control characters.";
        }

        var compact = new string(normalized.Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (Blocklist.Contains(compact) || compact.Distinct().Count() == 1 || IsRun(compact)
            || compact.Contains(ServiceName, StringComparison.OrdinalIgnoreCase)
            || (!string.IsNullOrWhiteSpace(email) && compact.Contains(email.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return "Password is too easy to guess (a common password, a repetition, a sequence, or the account's own name); choose another.";
        }

        return null;
    }

    /// <summary>Each Unicode code point counts once, as NIST asks: a surrogate pair is one character, not two.</summary>
    private static int CountCodePoints(string text) => text.EnumerateRunes().Count();

    /// <summary>"abcdef…", "123456…", "987654…": every character one after (or before) the last.</summary>
    private static bool IsRun(string text)
    {
        if (text.Length < 2)
        {
            return false;
        }

        var step = text[1] - text[0];
        if (step is not (1 or -1))
        {
            return false;
        }

        for (var i = 2; i < text.Length; i++)
        {
            if (text[i] - text[i - 1] != step)
            {
                return false;
            }
        }

        return true;
    }
}
