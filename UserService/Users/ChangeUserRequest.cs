namespace ConcertBooking.UserService.Users;

/// <summary>A null field is left as it is.</summary>
public sealed record ChangeUserRequest(string? Name, string? Email);
