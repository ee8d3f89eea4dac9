using ConcertBooking.Configuration;
using ConcertBooking.EntryPasses;
using ConcertBooking.ServiceDefaults;
using ConcertBooking.TokenService.Concerts;
using ConcertBooking.TokenService.Consumers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.TokenService.Queue;

public static class QueueRegistration
{
    /// <summary>The waiting queue: its options, the entry-pass signer, the actions and the entries' group commit, the admitter, the purge and the request validators.</summary>
    public static IHostApplicationBuilder AddQueueDomain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<QueueOptions, QueueOptionsValidator>(QueueOptions.SectionName);
        builder.AddEntryPasses();
        builder.Services.AddSingleton<AdmissionBudget>();
        builder.Services.AddSingleton<TokenAdmission>();
        builder.Services.AddSingleton<QueueEntryInserts>();
        builder.Services.AddScoped<EnterQueue>();
        builder.Services.AddScoped<AdmitWaitingTokens>();
        builder.Services.AddHostedService<QueueAdmitter>();
        builder.Services.AddHostedService<QueueTokenPurger>();
        return builder;
    }

    /// <summary>
    /// The concert replica's consumer with its projection, and the removal of a deleted user's tokens (the
    /// configurator is a service collection too, so a test harness gets both).
    /// </summary>
    public static IBusRegistrationConfigurator AddQueueConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddScoped<ProjectConcert>();
        bus.AddConsumer<ProjectConcertScheduled>();
        bus.AddConsumer<ForgetDeletedUsersTokens>();
        return bus;
    }
}
