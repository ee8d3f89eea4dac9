using ConcertBooking.UserService.Users;
using FluentValidation;

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
        builder.Services.AddValidatorsFromAssemblyContaining<SignUpRequestValidator>(includeInternalTypes: true);
        return builder;
    }
}
