using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Data;

/// <summary>The PostgreSQL flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresTokenDbContext(DbContextOptions<PostgresTokenDbContext> options) : TokenDbContext(options);
