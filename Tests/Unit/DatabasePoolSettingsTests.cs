using ConcertBooking.Database;
using Npgsql;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// What the services add to a PostgreSQL connection string: statements prepared once per connection, and no session
/// reset on every return to the pool (EF Core returns the connection after each command outside a transaction).
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class DatabasePoolSettingsTests
{
    private const string Configured = "Host=127.0.0.1;Database=concert;Username=u;Password=p";

    [Test]
    public void A_postgres_connection_prepares_its_statements_and_skips_the_reset_unless_told_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(ServiceDatabaseRegistration.WithPoolSettings(new DatabaseOptions(), Configured));
        var resetting = new NpgsqlConnectionStringBuilder(ServiceDatabaseRegistration.WithPoolSettings(
            new DatabaseOptions { ResetSessionOnReturn = true, MaxAutoPrepare = 0 }, Configured));
        var explicitPreparation = new NpgsqlConnectionStringBuilder(ServiceDatabaseRegistration.WithPoolSettings(
            new DatabaseOptions(), Configured + ";Max Auto Prepare=5"));

        Assert.Multiple(() =>
        {
            Assert.That((defaults.NoResetOnClose, defaults.MaxAutoPrepare), Is.EqualTo((true, 64)));
            Assert.That((resetting.NoResetOnClose, resetting.MaxAutoPrepare), Is.EqualTo((false, 0)));
            Assert.That(explicitPreparation.MaxAutoPrepare, Is.EqualTo(5), "the connection string's own value wins");
            Assert.That(defaults.Database, Is.EqualTo("concert"));
        });
    }

    [Test]
    public void A_sql_server_connection_string_is_left_as_configured()
    {
        const string sqlServer = "Server=tcp:db,1433;Database=concert;User ID=u;Password=p;Encrypt=True";

        Assert.That(ServiceDatabaseRegistration.WithPoolSettings(new DatabaseOptions { Provider = DatabaseProvider.SqlServer }, sqlServer),
            Is.EqualTo(sqlServer));
    }
}
