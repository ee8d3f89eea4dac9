namespace ConcertBooking.Contracts;

// Booking events. Every one is published through the outbox with the reservation id as its partition key, so a
// reservation's events keep their order on a transport that orders by key. Amounts are decimal with two places.

/// <summary>ConcertService held a seat for a user until <see cref="ExpiresAt"/>; PaymentService may take payment for it.</summary>
public sealed record ReservationCreated(
    Guid ReservationId, Guid ConcertId, Guid SeatId, Guid UserId, decimal Amount, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>The reservation was paid: the seat is sold to the user.</summary>
public sealed record ReservationConfirmed(
    Guid ReservationId, Guid ConcertId, Guid SeatId, Guid UserId, Guid PaymentId, decimal Amount, DateTimeOffset ConfirmedAt);

/// <summary>The hold ran out before a payment arrived: the seat is available again and the reservation can no longer be paid.</summary>
public sealed record ReservationExpired(
    Guid ReservationId, Guid ConcertId, Guid SeatId, Guid UserId, DateTimeOffset ExpiredAt);

/// <summary>
/// A payment arrived for a reservation whose hold had already expired and whose seat was taken by someone else
/// meanwhile: the seat cannot be sold, so the payment must be refunded (PaymentService does it).
/// </summary>
public sealed record ReservationRejected(
    Guid ReservationId, Guid UserId, Guid PaymentId, decimal Amount, string Reason, DateTimeOffset RejectedAt);

/// <summary>PaymentService debited the user's wallet for the reservation.</summary>
public sealed record PaymentCompleted(
    Guid PaymentId, Guid ReservationId, Guid UserId, decimal Amount, DateTimeOffset CompletedAt);

/// <summary>A payment attempt was refused after the checks passed, e.g. for an insufficient balance.</summary>
public sealed record PaymentFailed(
    Guid ReservationId, Guid UserId, decimal Amount, string Reason, DateTimeOffset FailedAt);
