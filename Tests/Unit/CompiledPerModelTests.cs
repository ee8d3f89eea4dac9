using ConcertBooking.Database;
using ConcertBooking.TokenService.Data;
using ConcertBooking.TokenService.Queue;
using Microsoft.EntityFrameworkCore;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// EF Core refuses to run a compiled query on a model other than the one it first ran on, and one process can hold a
/// service's PostgreSQL and SQL Server models (the integration suite runs both where SQL Server is configured): each
/// model gets its own compilation, made once.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class CompiledPerModelTests
{
    [Test]
    public void Each_model_gets_its_own_compiled_query_made_once()
    {
        var compilations = 0;
        var byId = new CompiledPerModel<Func<TokenDbContext, Guid, CancellationToken, Task<QueueToken?>>>(() =>
        {
            compilations++;
            return EF.CompileAsyncQuery((TokenDbContext db, Guid id, CancellationToken _) => db.QueueTokens.FirstOrDefault(t => t.Id == id));
        });
        using var postgres = new PostgresTokenDesignTimeFactory().CreateDbContext([]);
        using var postgresAgain = new PostgresTokenDesignTimeFactory().CreateDbContext([]);
        using var sqlServer = new SqlServerTokenDesignTimeFactory().CreateDbContext([]);

        var forPostgres = byId.For(postgres);
        var forSqlServer = byId.For(sqlServer);

        Assert.Multiple(() =>
        {
            Assert.That(byId.For(postgresAgain), Is.SameAs(forPostgres), "another context with the same model reuses the compilation");
            Assert.That(forSqlServer, Is.Not.SameAs(forPostgres), "the SQL Server model gets its own");
            Assert.That(byId.For(sqlServer), Is.SameAs(forSqlServer));
            Assert.That(compilations, Is.EqualTo(2));
        });
    }
}
