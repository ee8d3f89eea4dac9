using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConcertBooking.UserService.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UserPasswords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PasswordHash",
                schema: "users",
                table: "Users",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PasswordHash",
                schema: "users",
                table: "Users");
        }
    }
}
