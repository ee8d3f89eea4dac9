using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Reservations;

public static class PaymentFailureModel
{
    /// <summary>One row per reservation with a refused payment, keyed by the reservation.</summary>
    public static ModelBuilder AddPaymentFailures(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PaymentFailure>(failure =>
        {
            failure.ToTable("PaymentFailures");
            failure.HasKey(f => f.ReservationId);
            failure.Property(f => f.ReservationId).ValueGeneratedNever();
            failure.Property(f => f.Amount).HasPrecision(18, 2);
            failure.Property(f => f.Reason).HasMaxLength(PaymentFailure.ReasonMaxLength);
        });
        return modelBuilder;
    }
}
