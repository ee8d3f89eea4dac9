using ConcertBooking.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConcertBooking.EntryPasses;

public static class EntryPassRegistration
{
    /// <summary>
    /// The codec and its options, validated at start so a missing or short key fails fast, and outside Development a
    /// key published in this repository too.
    /// </summary>
    public static IHostApplicationBuilder AddEntryPasses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<EntryPassOptions, EntryPassOptionsValidator>(EntryPassOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<EntryPassOptions>>(new EntryPassSecretValidator(builder.Environment.IsDevelopment()));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EntryPassCodec>();
        return builder;
    }
}
