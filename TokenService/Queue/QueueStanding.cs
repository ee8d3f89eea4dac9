namespace ConcertBooking.TokenService.Queue;

/// <summary>A token as it stands now: its effective status and, while waiting, its position (1 = next).</summary>
public sealed record QueueStanding(QueueToken Token, QueueTokenStatus Status, int? Position);
