namespace ConcertBooking.Database;

public enum DatabaseProvider
{
    Postgres,
    SqlServer,
}
