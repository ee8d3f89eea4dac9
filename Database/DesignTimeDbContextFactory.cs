using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ConcertBooking.Database;

/// <summary>
/// Lets <c>dotnet ef</c> build a provider's context without a database or the app's configuration, so
/// migrations for both providers can be added and scripted offline.
/// </summary>
public abstract class DesignTimeDbContextFactory<TContext>(DatabaseProvider provider) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var connectionString = provider switch
        {
            DatabaseProvider.SqlServer => "Server=localhost;Database=design_time;Integrated Security=false;TrustServerCertificate=true",
            _ => "Host=localhost;Database=design_time",
        };
        var options = new DbContextOptionsBuilder<TContext>().UseServiceDatabase(provider, connectionString).Options;
        return (TContext)Activator.CreateInstance(typeof(TContext), options)!;
    }
}
