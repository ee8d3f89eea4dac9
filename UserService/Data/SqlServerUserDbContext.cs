using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Data;

/// <summary>The SQL Server flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class SqlServerUserDbContext(DbContextOptions<SqlServerUserDbContext> options) : UserDbContext(options);
