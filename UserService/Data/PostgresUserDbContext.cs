using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.UserService.Data;

/// <summary>The PostgreSQL flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresUserDbContext(DbContextOptions<PostgresUserDbContext> options) : UserDbContext(options);
