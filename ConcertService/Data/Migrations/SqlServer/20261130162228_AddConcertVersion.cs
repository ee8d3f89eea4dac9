using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.ConcertService.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AddConcertVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Version",
                schema: "concert",
                table: "Concerts",
                type: "bigint",
                nullable: false,
                defaultValue: 1L); // the concerts seeded before versions existed are at their first
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Version",
                schema: "concert",
                table: "Concerts");
        }
    }
}
