using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ConcertBooking.Database;

/// <summary>
/// A query compiled (<c>EF.CompileAsyncQuery</c>) once for each model it runs on. EF Core binds a compiled query to the
/// first model it ran with and refuses any other, while one process may hold several: a service's PostgreSQL and SQL
/// Server contexts, the user replica's query on each service's context, a test process that hosts several services.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = [];

    public TQuery For(DbContext db)
    {
        var model = db.Model;
        if (_compiled.TryGetValue(model, out var query))
        {
            return query;
        }

        query = compile(); // racing threads may each compile one; the table keeps the first
        return _compiled.GetValue(model, _ => query);
    }
}
