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
        // Tests and the bench (which measures the pipeline, not PBKDF2) may lower the hashing cost below the floor.
        var lowHashCostAllowed = builder.Environment.IsEnvironment("Testing") || builder.Environment.IsEnvironment(IdentityIssuerOptions.BenchEnvironment);
        builder.Services.AddSingleton<IValidateOptions<IdentityIssuerOptions>>(
            new IdentitySecretsValidator(builder.Environment.IsDevelopment(), lowHashCostAllowed));
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddScoped<SignInLockout>();
        builder.Services.AddScoped<SignIn>();
        return builder;
    }
}
