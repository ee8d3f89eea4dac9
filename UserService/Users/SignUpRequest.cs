namespace ConcertBooking.UserService.Users;

public sealed record SignUpRequest(string? Name, string? Email, string? Password);
