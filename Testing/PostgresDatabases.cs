using Npgsql;

namespace ConcertBooking.Testing;

/// <summary>Names a database per test run and service, and drops them all at the end of the run.</summary>
public static class PostgresDatabases
{
    private static readonly DatabaseNames Names = new();

    public static string ConnectionString(string database, int maxPoolSize = 10, ushort? port = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresServer) { Database = database, MaxPoolSize = maxPoolSize };
        if (port is { } proxied)
        {
            builder.Port = proxied;
        }

        return builder.ConnectionString;
    }

    public static NpgsqlConnectionStringBuilder Server => new(TestEnvironment.PostgresServer);

    /// <summary>A fresh name; the service creates the database itself when it migrates.</summary>
    public static string NewName(string purpose) => Names.New(purpose);

    public static async Task DropAllAsync()
    {
        var names = Names.TakeAll();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await DropAsync(connection, name);
        }
    }

    /// <summary>
    /// FORCE ends the database's other sessions, but only those the role may signal; one it may not (seen once at the end
    /// of a CI run, 42501, with no test left running: an autovacuum worker on the database fits) is waited out.
    /// </summary>
    private static async Task DropAsync(NpgsqlConnection connection, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
