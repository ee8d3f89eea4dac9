using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.TokenService.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class IndexQueueTokensForCleanup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_QueueTokens_ExpiresAt",
                schema: "token",
                table: "QueueTokens",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_QueueTokens_Status_EnteredAt",
                schema: "token",
                table: "QueueTokens",
                columns: new[] { "Status", "EnteredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QueueTokens_UserId",
                schema: "token",
                table: "QueueTokens",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QueueTokens_ExpiresAt",
                schema: "token",
                table: "QueueTokens");

            migrationBuilder.DropIndex(
                name: "IX_QueueTokens_Status_EnteredAt",
                schema: "token",
                table: "QueueTokens");

            migrationBuilder.DropIndex(
                name: "IX_QueueTokens_UserId",
                schema: "token",
                table: "QueueTokens");
        }
    }
}
