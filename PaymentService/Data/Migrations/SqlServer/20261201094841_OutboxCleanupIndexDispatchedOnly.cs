using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.PaymentService.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OutboxCleanupIndexDispatchedOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_DispatchedAt_Sequence",
                schema: "payment",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_DispatchedAt_Sequence",
                schema: "payment",
                table: "OutboxMessages",
                columns: new[] { "DispatchedAt", "Sequence" },
                filter: "\"DispatchedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_DispatchedAt_Sequence",
                schema: "payment",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_DispatchedAt_Sequence",
                schema: "payment",
                table: "OutboxMessages",
                columns: new[] { "DispatchedAt", "Sequence" });
        }
    }
}
