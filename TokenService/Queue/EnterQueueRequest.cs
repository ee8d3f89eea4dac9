namespace ConcertBooking.TokenService.Queue;

public sealed record EnterQueueRequest(Guid? UserId);
