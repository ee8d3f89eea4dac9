using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ConcertBooking.Messaging;

/// <summary>
/// An entity's table and columns as a model maps them, delimited by its provider: for the few statements written as SQL
/// (the relay's claim, a replica's upsert), so that they follow the model's schema and naming instead of repeating them.
/// </summary>
public sealed class MappedTable
{
    private readonly IEntityType _entity;
    private readonly StoreObjectIdentifier _table;
    private readonly ISqlGenerationHelper _sql;

    private MappedTable(IEntityType entity, ISqlGenerationHelper sql)
    {
        _entity = entity;
        _table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        _sql = sql;
    }

    /// <param name="mapping">What maps the entity, for the error when the context does not: "the outbox: call modelBuilder.AddOutboxAndInbox()".</param>
    public static MappedTable Of<TEntity>(DbContext db, string mapping) =>
        new(db.Model.FindEntityType(typeof(TEntity))
                ?? throw new InvalidOperationException($"{db.GetType().Name} does not map {mapping}."),
            db.GetService<ISqlGenerationHelper>());

    /// <summary>The table, schema-qualified.</summary>
    public string Name => _sql.DelimitIdentifier(_table.Name, _table.Schema);

    public string Column(string property) => _sql.DelimitIdentifier(_entity.FindProperty(property)!.GetColumnName(_table)!);
}
