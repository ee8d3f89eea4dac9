namespace ConcertBooking.ConcertService.Reservations;

/// <summary>A seat that was Available a moment ago: what a refused hold suggests trying instead.</summary>
public sealed record AvailableSeat(Guid Id, string Label);
