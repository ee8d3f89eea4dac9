using Microsoft.EntityFrameworkCore.Migrations;

namespace ConcertBooking.UserReplica;

/// <summary>
/// The data steps of the migration that made a replica's name and email nullable (ForgetDeletedUsersPersonalData),
/// written once for the three services that keep a replica, on either provider.
/// </summary>
public static class UserReplicaMigrations
{
    private const string SqlServerProvider = "Microsoft.EntityFrameworkCore.SqlServer";

    /// <summary>Clears the name and email of every tombstone a replica kept before deletions stopped carrying them.</summary>
    public static void ClearTombstonesPersonalData(this MigrationBuilder migration, string schema) =>
        migration.Sql(migration.ActiveProvider == SqlServerProvider
            ? $"UPDATE [{schema}].[Users] SET [Name] = NULL, [Email] = NULL WHERE [IsDeleted] = 1;"
            : $"""UPDATE "{schema}"."Users" SET "Name" = NULL, "Email" = NULL WHERE "IsDeleted";""");

    /// <summary>Before the columns become required again (migrating down): tombstones get empty strings.</summary>
    public static void FillTombstonesPersonalData(this MigrationBuilder migration, string schema) =>
        migration.Sql(migration.ActiveProvider == SqlServerProvider
            ? $"UPDATE [{schema}].[Users] SET [Name] = COALESCE([Name], N''), [Email] = COALESCE([Email], N'') WHERE [IsDeleted] = 1;"
            : $"""UPDATE "{schema}"."Users" SET "Name" = COALESCE("Name", ''), "Email" = COALESCE("Email", '') WHERE "IsDeleted";""");
}
