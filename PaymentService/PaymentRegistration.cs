using ConcertBooking.Configuration;
using ConcertBooking.PaymentService.Consumers;
using ConcertBooking.PaymentService.Payments;
using ConcertBooking.PaymentService.Wallets;
using ConcertBooking.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConcertBooking.PaymentService;

public static class PaymentRegistration
{
    /// <summary>
    /// Wallets and payments: options, the actions the endpoints call, the reconciliation job, and request validators.
    /// </summary>
    public static IHostApplicationBuilder AddPaymentDomain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WalletOptions, WalletOptionsValidator>(WalletOptions.SectionName);
        builder.Services.AddWalletActions();
        builder.Services.AddValidatedOptions<PaymentOptions, PaymentOptionsValidator>(PaymentOptions.SectionName);
        builder.Services.AddScoped<PayReservation>();
        builder.Services.AddScoped<RequestPaymentOutcome>();
        builder.Services.AddHostedService<PaymentReconciler>();
        builder.Services.AddRequestValidators<ChargeWalletRequestValidator>();
        return builder;
    }

    /// <summary>
    /// The consumers that keep this service's view of reservations and refund rejected payments, and the actions
    /// they call (the configurator is a service collection too, so a test harness gets them with the consumers).
    /// </summary>
    public static IBusRegistrationConfigurator AddPaymentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddWalletActions();
        bus.TryAddScoped<RefundPayment>();
        bus.AddConsumer<TrackPayableReservation>();
        bus.AddConsumer<ExpirePayableReservation>();
        bus.AddConsumer<MarkReservationConfirmed>();
        bus.AddConsumer<RefundRejectedPayment>();
        return bus;
    }

    private static IServiceCollection AddWalletActions(this IServiceCollection services)
    {
        services.TryAddScoped<CreditWallet>();
        services.TryAddScoped<DebitWallet>();
        return services;
    }
}
