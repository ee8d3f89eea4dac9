namespace ConcertBooking.UserService.Users;

public sealed record UserResponse(Guid Id, string Name, string Email, long Version)
{
    public static UserResponse From(User user) => new(user.Id, user.Name, user.Email, user.Version);
}
