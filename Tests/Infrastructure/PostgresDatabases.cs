using Npgsql;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>Names a database per test run and service, and drops them all at the end of the run.</summary>
public static class PostgresDatabases
{
    private static readonly List<string> Created = [];

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
    public static string NewName(string purpose)
    {
        var name = $"cb_{TestEnvironment.RunId}_{purpose}_{Guid.NewGuid():N}"[..50].ToLowerInvariant();
        lock (Created)
        {
            Created.Add(name);
        }

        return name;
    }

    public static async Task DropAllAsync()
    {
        string[] names;
        lock (Created)
        {
            names = [.. Created];
            Created.Clear();
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
