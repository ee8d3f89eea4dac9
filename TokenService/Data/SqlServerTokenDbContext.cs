using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.TokenService.Data;

/// <summary>The SQL Server flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class SqlServerTokenDbContext(DbContextOptions<SqlServerTokenDbContext> options) : TokenDbContext(options);
