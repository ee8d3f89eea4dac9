using ConcertBooking.Configuration;
using ConcertBooking.ConcertService.Concerts;
using ConcertBooking.ConcertService.Consumers;
using ConcertBooking.ConcertService.Reservations;
using ConcertBooking.ConcertService.Users;
using ConcertBooking.EntryPasses;
using ConcertBooking.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.ConcertService;

public static class ConcertRegistration
{
    /// <summary>
    /// Concerts, seats and reservations: options, the actions, the seeder, the hold sweeper, entry-pass
    /// verification, validators.
    /// </summary>
    public static IHostApplicationBuilder AddConcertDomain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ConcertCatalogOptions, ConcertCatalogOptionsValidator>(ConcertCatalogOptions.SectionName);
        builder.Services.AddValidatedOptions<ReservationOptions, ReservationOptionsValidator>(ReservationOptions.SectionName);
        builder.AddEntryPasses();
        builder.AddUserLookup();
        builder.Services.AddScoped<HoldSeat>();
        builder.Services.AddSingleton<SeatAvailability>();
        builder.Services.AddScoped<ExpireHold>();
        builder.Services.AddScoped<SeedDemoConcert>();
        // After AddServiceDatabase: hosted services start in order, so the seeder sees a migrated schema.
        builder.Services.AddHostedService<ConcertSeeder>();
        builder.Services.AddHostedService<HoldSweeper>();
        builder.Services.AddRequestValidators<ReserveSeatRequestValidator>();
        return builder;
    }

    /// <summary>
    /// The consumers that confirm paid reservations and record refused payments, and the action they call (the configurator is a service
    /// collection too, so a test harness gets both).
    /// </summary>
    public static IBusRegistrationConfigurator AddConcertConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddScoped<ConfirmReservation>();
        bus.AddConsumer<ConfirmPaidReservation>();
        bus.AddConsumer<RecordPaymentFailure>();
        return bus;
    }
}
