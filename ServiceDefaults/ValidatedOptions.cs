using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConcertBooking.ServiceDefaults;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to its configuration section and checks it with
    /// <typeparamref name="TValidator"/> (an <c>[OptionsValidator]</c>, which descends into members marked
    /// <c>[ValidateObjectMembers]</c> and <c>[ValidateEnumeratedItems]</c>) when the service starts: a bad value
    /// stops it with a message naming the setting (<c>Concerts.Demo[0].SeatsPerRow</c>), instead of failing on the
    /// first request or tick that reads it.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(sectionName, new TValidator()));
        return services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
    }
}
