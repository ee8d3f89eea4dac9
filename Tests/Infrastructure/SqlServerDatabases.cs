using Microsoft.Data.SqlClient;

namespace ConcertBooking.Tests.Infrastructure;

/// <summary>
/// Databases per test run and service on the SQL Server named by <c>CB_TEST_SQLSERVER</c> (none runs on these
/// machines, so the SQL Server fixtures are ignored here with that reason). The services create them when they migrate.
/// </summary>
public static class SqlServerDatabases
{
    private static readonly DatabaseNames Names = new();

    public static string ConnectionString(string database) =>
        new SqlConnectionStringBuilder(TestEnvironment.SqlServer ?? throw new InvalidOperationException("CB_TEST_SQLSERVER is not set."))
        {
            InitialCatalog = database,
            MaxPoolSize = 10,
        }.ConnectionString;

    public static string NewName(string purpose) => Names.New(purpose);

    public static async Task DropAllAsync()
    {
        var names = Names.TakeAll();
        if (names.Length == 0)
        {
            return;
        }

        SqlConnection.ClearAllPools();
        await using var connection = new SqlConnection(ConnectionString("master"));
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await using var drop = new SqlCommand(
                $"IF DB_ID(N'{name}') IS NOT NULL BEGIN ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]; END",
                connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
