using ConcertBooking.Database;
using ConcertBooking.Messaging;
using ConcertBooking.UserReplica;
using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ConcertBooking.Tests.Unit;

/// <summary>
/// The replica's one-statement write on both providers, offline: PostgreSQL's is run by the specs on a real database;
/// SQL Server's (no server here) is parsed as T-SQL and checked for the locks that keep two writers of a key apart.
/// </summary>
[TestFixture]
[Category(TestCategories.Unit)]
public sealed class ReplicaUpsertTests
{
    public static IEnumerable<TestCaseData> ReplicaContexts() =>
        MigrationTests.Contexts().Where(c => (string)c.Arguments[1]! != "users");

    [TestCaseSource(nameof(ReplicaContexts))]
    public void The_write_inserts_or_updates_only_an_older_version_of_the_services_replica(Func<DbContext> create, string schema)
    {
        using var db = create();
        IDatabaseDialect dialect = db.Database.IsNpgsql() ? PostgresDialect.Instance : SqlServerDialect.Instance;

        var sql = ReplicaUpsert.BuildSql(db, dialect);

        if (db.Database.IsNpgsql())
        {
            Assert.That(sql, Does.StartWith($"INSERT INTO {schema}.\"Users\" AS t (\"Id\", \"Name\", \"Email\", \"Version\", \"IsDeleted\", \"ChangedAt\", \"ReplicatedAt\")")
                .And.Contain("ON CONFLICT (\"Id\") DO UPDATE SET \"Name\" = EXCLUDED.\"Name\"")
                .And.EndWith("WHERE t.\"Version\" < EXCLUDED.\"Version\""));
            return;
        }

        var parsed = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(ParameterNames(sql)), out var errors);
        Assert.That(errors.Select(e => e.Message), Is.Empty, sql);
        var statements = ((TSqlScript)parsed).Batches.SelectMany(b => b.Statements).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(statements.Select(s => s.GetType().Name), Is.EqualTo(new[] { nameof(UpdateStatement), nameof(IfStatement) }));
            Assert.That(sql, Does.Contain($"FROM [{schema}].[Users] AS t WITH (UPDLOCK, HOLDLOCK) WHERE t.[Id] = {{0}} AND t.[Version] < {{3}}"));
            Assert.That(sql, Does.Contain($"INSERT INTO [{schema}].[Users] ([Id], [Name], [Email], [Version], [IsDeleted], [ChangedAt], [ReplicatedAt]) VALUES ({{0}}, {{1}}, {{2}}, {{3}}, {{4}}, {{5}}, {{6}})"));
        });
    }

    /// <summary>The placeholders as EF Core sends them (<c>{0}</c> becomes <c>@p0</c>).</summary>
    private static string ParameterNames(string sql) =>
        System.Text.RegularExpressions.Regex.Replace(sql, @"\{(\d+)\}", "@p$1");
}
