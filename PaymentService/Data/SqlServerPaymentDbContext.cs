using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Data;

/// <summary>The SQL Server flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class SqlServerPaymentDbContext(DbContextOptions<SqlServerPaymentDbContext> options) : PaymentDbContext(options);
