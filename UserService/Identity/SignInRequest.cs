namespace ConcertBooking.UserService.Identity;

public sealed record SignInRequest(string? Email, string? Password);
