namespace ConcertBooking.PaymentService.Payments;

public sealed record PayReservationRequest(Guid? ReservationId, Guid? UserId);
