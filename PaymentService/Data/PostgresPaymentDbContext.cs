using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.PaymentService.Data;

/// <summary>The PostgreSQL flavour: a subclass per provider, so each provider keeps its own migrations.</summary>
public sealed class PostgresPaymentDbContext(DbContextOptions<PostgresPaymentDbContext> options) : PaymentDbContext(options);
