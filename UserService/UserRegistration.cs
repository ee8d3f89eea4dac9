using ConcertBooking.ServiceDefaults;
using ConcertBooking.UserService.Users;

namespace ConcertBooking.UserService;

public static class UserRegistration
{
    /// <summary>Users: the actions the endpoints call, and the request validators.</summary>
    public static IHostApplicationBuilder AddUserDomain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SignUpUser>();
        builder.Services.AddScoped<ChangeUser>();
        builder.Services.AddScoped<DeleteUser>();
        builder.Services.AddScoped<RepublishUsers>();
        builder.Services.AddRequestValidators<SignUpRequestValidator>();
        return builder;
    }
}
