using System.Globalization;
using FluentValidation;

namespace ConcertBooking.ServiceDefaults;

/// <summary>
/// Text a person types and others read (a name, an email address) holds no characters that act instead of
/// showing: control characters (C0 with NUL, DEL, C1), line and paragraph separators, the bidirectional
/// formatting characters that reorder what is displayed ("Trojan Source": embeddings, overrides, isolates,
/// marks), and halves of surrogate pairs. They have no place in these fields, and PostgreSQL refuses NUL outright.
/// </summary>
public static class PlainTextRules
{
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || FirstHostileCharacter(text) < 0)
            .WithMessage((_, text) =>
            {
                var index = FirstHostileCharacter(text!);
                return $"Control and bidirectional formatting characters are not allowed (U+{(int)text![index]:X4} at position {index + 1}).";
            });

    /// <returns>The index of the first character refused, or -1.</returns>
    public static int FirstHostileCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // a well-formed pair: a character outside the basic plane, such as an emoji
                continue;
            }

            if (char.IsSurrogate(c) || char.IsControl(c) || IsBidirectionalFormatting(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>ALM, LRM, RLM, the embeddings and overrides (LRE…RLO), and the isolates (LRI…PDI).</summary>
    private static bool IsBidirectionalFormatting(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
