namespace ConcertBooking.TokenService.Queue;

public enum QueueTokenStatus
{
    Waiting,
    Admitted,
    Expired,
}
