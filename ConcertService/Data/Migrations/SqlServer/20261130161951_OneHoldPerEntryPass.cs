using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.ConcertService.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OneHoldPerEntryPass : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PassTokenId",
                schema: "concert",
                table: "Reservations",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reservations_PassTokenId_Pending",
                schema: "concert",
                table: "Reservations",
                column: "PassTokenId",
                unique: true,
                filter: "\"Status\" = 'Pending' AND \"PassTokenId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reservations_PassTokenId_Pending",
                schema: "concert",
                table: "Reservations");

            migrationBuilder.DropColumn(
                name: "PassTokenId",
                schema: "concert",
                table: "Reservations");
        }
    }
}
