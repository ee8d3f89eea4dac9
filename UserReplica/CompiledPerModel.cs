using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ConcertBooking.UserReplica;

/// <summary>
/// A replica query compiled once for each model it runs on. EF Core binds a compiled query to the first model it ran with
/// and refuses any other, while the replica's queries run on whichever DbContext the service has (several, in a test
/// process that hosts more than one service).
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
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
