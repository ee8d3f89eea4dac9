using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ConcertBooking.Messaging.Configuration;

/// <summary>
/// Runs a validator (typically source-generated with <c>[OptionsValidator]</c>, which descends into nested sections)
/// and reports its failures by the configuration key an operator sets — <c>Messaging:Outbox:BatchSize</c> — instead
/// of the property path it found them at (<c>MessagingOptions.Outbox.BatchSize</c>).
/// </summary>
public sealed partial class ConfigurationKeyValidator<TOptions>(string section, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly Regex _propertyPath = new($@"\b{Regex.Escape(typeof(TOptions).Name)}((?:\.\w+|\[\d+\])+)", RegexOptions.CultureInvariant);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = inner.Validate(name, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => _propertyPath.Replace(failure, ToKey)))
            : result;
    }

    private string ToKey(Match path) => section + ArrayIndex().Replace(path.Groups[1].Value, ".$1").Replace('.', ':');

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex ArrayIndex();
}
