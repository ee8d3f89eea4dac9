using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.ConcertService.Data;

/// <summary>The SQL Server flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class SqlServerConcertDbContext(DbContextOptions<SqlServerConcertDbContext> options) : ConcertDbContext(options);
