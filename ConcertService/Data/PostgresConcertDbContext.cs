using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Data;

/// <summary>The PostgreSQL flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresConcertDbContext(DbContextOptions<PostgresConcertDbContext> options) : ConcertDbContext(options);
