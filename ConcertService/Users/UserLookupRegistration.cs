using ConcertBooking.Configuration;
using ConcertBooking.ServiceDefaults;

namespace ConcertBooking.ConcertService.Users;

public static class UserLookupRegistration
{
    public static IHostApplicationBuilder AddUserLookup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<UserLookupOptions, UserLookupOptionsValidator>(UserLookupOptions.SectionName);
        var mode = builder.Configuration.GetValue(UserLookupOptions.SectionName + ":Mode", UserLookupMode.Replica);
        if (mode == UserLookupMode.Http)
        {
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddHttpClient<IUserLookup, HttpUserLookup>();
        }
        else
        {
            builder.Services.AddScoped<IUserLookup, ReplicaUserLookup>();
        }

        return builder;
    }
}
