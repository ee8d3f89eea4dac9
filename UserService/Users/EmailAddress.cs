using System.Net.Mail;

namespace ConcertBooking.UserService.Users;

internal static class EmailAddress
{
    /// <summary>One '@', a local part, and a domain with a dot; no spaces, no display name ("Ada &lt;a@b.c&gt;").</summary>
    public static bool IsWellFormed(string email)
    {
        if (email.Any(char.IsWhiteSpace) || email.Count(c => c == '@') != 1)
        {
            return false;
        }

        var at = email.IndexOf('@');
        var domain = email[(at + 1)..];
        if (at == 0 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.'))
        {
            return false;
        }

        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
    }
}
