using ConcertBooking.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ConcertBooking.EntryPasses;

public static class EntryPassRegistration
{
    /// <summary>The codec and its options, validated at start so a missing or short key fails fast.</summary>
    public static IHostApplicationBuilder AddEntryPasses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<EntryPassOptions, EntryPassOptionsValidator>(EntryPassOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EntryPassCodec>();
        return builder;
    }
}
