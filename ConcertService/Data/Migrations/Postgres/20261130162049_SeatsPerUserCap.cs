using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.ConcertService.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SeatsPerUserCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UserSeatCounts",
                schema: "concert",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConcertId = table.Column<Guid>(type: "uuid", nullable: false),
                    Seats = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserSeatCounts", x => new { x.UserId, x.ConcertId });
                    table.CheckConstraint("CK_UserSeatCounts_Seats_NotNegative", "\"Seats\" >= 0");
                });

            // The seats users already hold or bought count from the start, so the cap applies to them too.
            migrationBuilder.Sql("""
                INSERT INTO concert."UserSeatCounts" ("UserId", "ConcertId", "Seats")
                SELECT "UserId", "ConcertId", count(*) FROM concert."Reservations"
                WHERE "Status" IN ('Pending', 'Confirmed') GROUP BY "UserId", "ConcertId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UserSeatCounts",
                schema: "concert");
        }
    }
}
