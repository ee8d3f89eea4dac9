using ConcertBooking.Configuration;
using ConcertBooking.EntryPasses;

namespace ConcertBooking.TokenService.Queue;

public static class QueueRegistration
{
    /// <summary>The waiting queue: its options, the entry-pass signer, the actions and the admitter.</summary>
    public static IHostApplicationBuilder AddQueueDomain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<QueueOptions, QueueOptionsValidator>(QueueOptions.SectionName);
        builder.AddEntryPasses();
        builder.Services.AddScoped<EnterQueue>();
        builder.Services.AddScoped<AdmitWaitingTokens>();
        builder.Services.AddHostedService<QueueAdmitter>();
        return builder;
    }
}
