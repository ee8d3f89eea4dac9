namespace ConcertBooking.PaymentService.Payments;

/// <summary>The reservation only: the payer is the access token's user, never the body's.</summary>
public sealed record PayReservationRequest(Guid? ReservationId);
