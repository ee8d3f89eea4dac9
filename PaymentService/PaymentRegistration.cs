using ConcertBooking.PaymentService.Consumers;
using ConcertBooking.PaymentService.Wallets;
using FluentValidation;
using MassTransit;

namespace ConcertBooking.PaymentService;

public static class PaymentRegistration
{
    /// <summary>Wallets and payments: options and request validators.</summary>
    public static IHostApplicationBuilder AddPaymentDomain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WalletOptions>().BindConfiguration(WalletOptions.SectionName);
        builder.Services.AddValidatorsFromAssemblyContaining<ChargeWalletRequestValidator>(includeInternalTypes: true);
        return builder;
    }

    /// <summary>The consumers that keep this service's view of reservations and refund rejected payments.</summary>
    public static IBusRegistrationConfigurator AddPaymentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TrackPayableReservation>();
        bus.AddConsumer<ExpirePayableReservation>();
        bus.AddConsumer<MarkReservationConfirmed>();
        bus.AddConsumer<RefundRejectedPayment>();
        return bus;
    }
}
