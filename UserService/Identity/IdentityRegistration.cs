using ConcertBooking.Configuration;
using Microsoft.Extensions.Options;

namespace ConcertBooking.UserService.Identity;

public static class IdentityRegistration
{
    /// <summary>
    /// Sign-in and token issuance: the <c>Identity</c> options (signing keys, token lifetime, hashing cost, lockout)
    /// checked at start, the key ring, the hasher, the issuer and the sign-in action.
    /// </summary>
    public static IHostApplicationBuilder AddIdentityIssuer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IdentityIssuerOptions, IdentityIssuerOptionsValidator>(IdentityIssuerOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<IdentityIssuerOptions>>(
            new IdentitySecretsValidator(builder.Environment.IsDevelopment(), builder.Environment.IsEnvironment("Testing")));
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddScoped<SignInLockout>();
        builder.Services.AddScoped<SignIn>();
        return builder;
    }
}
