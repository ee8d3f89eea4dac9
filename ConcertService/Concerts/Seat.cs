namespace ConcertBooking.ConcertService.Concerts;

/// <summary>
/// A seat's state is changed only by conditional UPDATEs (<c>WHERE Status = expected</c>), so of concurrent attempts
/// the database lets exactly one win and the others see zero rows affected.
/// </summary>
public sealed class Seat
{
    public Guid Id { get; set; }

    public Guid ConcertId { get; set; }

    /// <summary>"A1", "B12": unique within the concert, which is what makes seeding idempotent.</summary>
    public required string Label { get; set; }

    public decimal Price { get; set; }

    public SeatStatus Status { get; set; }

    /// <summary>The reservation holding or owning the seat; null while available.</summary>
    public Guid? ReservationId { get; set; }

    public DateTimeOffset? HeldUntil { get; set; }

    public static Seat Available(Guid concertId, string label, decimal price) =>
        new() { Id = Guid.CreateVersion7(), ConcertId = concertId, Label = label, Price = price, Status = SeatStatus.Available };
}
