using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.ConcertService.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FreeSeatsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Seats_ConcertId_Status_Label",
                schema: "concert",
                table: "Seats",
                columns: new[] { "ConcertId", "Status", "Label" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Seats_ConcertId_Status_Label",
                schema: "concert",
                table: "Seats");
        }
    }
}
