using ConcertBooking.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConcertBooking.Messaging.Database;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers the service's DbContext on the configured provider. Each provider has its own context subclass
    /// so that each keeps its own migrations; code depends on <typeparamref name="TContext"/> only.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext, TPostgres, TSqlServer>(this IHostApplicationBuilder builder)
        where TContext : DbContext
        where TPostgres : TContext
        where TSqlServer : TContext
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();

        void Configure(IServiceProvider services, DbContextOptionsBuilder db)
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Database")
                ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");
            db.UseServiceDatabase(options.Provider, WithStatementPreparation(options, connectionString));
            db.AddInterceptors(services.GetRequiredService<OutboxCommitInterceptor>());
        }

        // Pooled: every consumed message and request needs a context, and building one (options, EF's internal
        // services) was a tenth of a consumer's CPU in a profile. A pooled context is reset when it is returned.
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                builder.Services.AddDbContextPool<TContext, TPostgres>(Configure);
                break;
            case DatabaseProvider.SqlServer:
                builder.Services.AddDbContextPool<TContext, TSqlServer>(Configure);
                break;
            default:
                throw new NotSupportedException($"Database provider '{options.Provider}' is not supported.");
        }

        // Registered before the bus and the relay, whose hosted services then start on a migrated schema.
        builder.Services.AddHostedService<DatabaseMigrator<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: ["ready"]);
        return builder;
    }

    private static string WithStatementPreparation(DatabaseOptions options, string connectionString)
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

        return builder.ConnectionString;
    }

    public static DbContextOptionsBuilder UseServiceDatabase(
        this DbContextOptionsBuilder db, DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Postgres => db.UseNpgsql(connectionString),
        DatabaseProvider.SqlServer => db.UseSqlServer(connectionString),
        _ => throw new NotSupportedException($"Database provider '{provider}' is not supported."),
    };
}

internal sealed class DatabaseMigrator<TContext>(IServiceScopeFactory scopeFactory, IOptions<DatabaseOptions> options)
    : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
