using ConcertBooking.Messaging;
using ConcertBooking.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConcertBooking.Database;

public static class ServiceDatabaseRegistration
{
    /// <summary>
    /// Registers the service's DbContext on the configured provider, with that provider's dialect. Each provider has
    /// its own context subclass so that each keeps its own migrations; code depends on <typeparamref name="TContext"/>
    /// only. EF Core interceptors registered as services (the outbox registers its commit wake-up that way) are added
    /// to the context, so no other registration has to know about them.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext, TPostgres, TSqlServer>(this IHostApplicationBuilder builder)
        where TContext : DbContext
        where TPostgres : TContext
        where TSqlServer : TContext
    {
        builder.Services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.SectionName);
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddSingleton<IDatabaseDialect>(options.Provider switch
        {
            DatabaseProvider.Postgres => PostgresDialect.Instance,
            DatabaseProvider.SqlServer => SqlServerDialect.Instance,
            var other => throw new NotSupportedException($"Database:Provider '{other}' is not supported."),
        });

        void Configure(IServiceProvider services, DbContextOptionsBuilder db)
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Database")
                ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");
            db.UseServiceDatabase(options.Provider, WithPoolSettings(options, connectionString));
            db.AddInterceptors(services.GetServices<IInterceptor>());
            // A failed save always reaches its caller as an exception, which either expects it (a unique violation is
            // a 409, a duplicate message in the inbox) or lets it reach the host, which logs it once at Error. EF
            // Core's own Error records of it would log an expected conflict as an error, with the database's message
            // (SQL Server's names the duplicate key's value: an email address), so they are kept at Debug.
            db.ConfigureWarnings(warnings => warnings.Log(
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (RelationalEventId.CommandError, LogLevel.Debug)));
        }

        // Pooled: every consumed message and request needs a context, and building one (options, EF's internal
        // services) was a tenth of a consumer's CPU in a profile. A pooled context is reset when it is returned.
        if (options.Provider == DatabaseProvider.SqlServer)
        {
            builder.Services.AddDbContextPool<TContext, TSqlServer>(Configure);
        }
        else
        {
            builder.Services.AddDbContextPool<TContext, TPostgres>(Configure);
        }

        // First of all hosted services, which the host starts in order: the bus, the relay and the health checks'
        // background sampler (registered earlier, with the service defaults) then start on a migrated schema, instead of
        // the sampler querying tables a fresh database does not have yet while the migration runs.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator<TContext>>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: ["ready"]);
        return builder;
    }

    public static DbContextOptionsBuilder UseServiceDatabase(
        this DbContextOptionsBuilder db, DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Postgres => db.UseNpgsql(connectionString),
        DatabaseProvider.SqlServer => db.UseSqlServer(connectionString),
        _ => throw new NotSupportedException($"Database provider '{provider}' is not supported."),
    };

    /// <summary>The connection string with <see cref="DatabaseOptions.MaxAutoPrepare"/> and <see cref="DatabaseOptions.ResetSessionOnReturn"/> applied.</summary>
    internal static string WithPoolSettings(DatabaseOptions options, string connectionString)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = options.MaxAutoPrepare;
        }

        if (!options.ResetSessionOnReturn)
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
