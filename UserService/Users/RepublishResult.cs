namespace ConcertBooking.UserService.Users;

/// <summary>How many users <see cref="RepublishUsers"/> published again; also the ops endpoint's answer.</summary>
public sealed record RepublishResult(int Republished);
