using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Configuration;

/// <summary>
/// Runs a validator (typically source-generated with <c>[OptionsValidator]</c>, which descends into nested sections
/// and list entries) under the section's name, and reports each failure by the configuration key an operator sets —
/// <c>Messaging:Outbox:BatchSize</c>, <c>Concerts:Demo:0:SeatsPerRow</c> — rather than by a property path.
/// </summary>
public sealed partial class ConfigurationKeyValidator<TOptions>(string section, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly Regex _propertyPath = new($@"\b{Regex.Escape(section)}((?:\.\w+|\[\d+\])+)", RegexOptions.CultureInvariant);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        // The generated validator names a failure after the options name it is given: the section reads best.
        var result = inner.Validate(section, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => _propertyPath.Replace(failure, ToKey)))
            : result;
    }

    private string ToKey(Match path) => section + ArrayIndex().Replace(path.Groups[1].Value, ".$1").Replace('.', ':');

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex ArrayIndex();
}
