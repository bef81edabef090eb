using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoreConsole.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SubnetServicesElection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PublishedWhitelists",
                columns: table => new
                {
                    SubnetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Addresses = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    PublishedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedWhitelists", x => x.SubnetId);
                    table.ForeignKey(
                        name: "FK_PublishedWhitelists_Subnets_SubnetId",
                        column: x => x.SubnetId,
                        principalTable: "Subnets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubnetServices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SubnetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Service = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DesiredEnabled = table.Column<bool>(type: "bit", nullable: false),
                    RepresentativeAgentId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Term = table.Column<long>(type: "bigint", nullable: false),
                    LeaseExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LeaseClaimed = table.Column<bool>(type: "bit", nullable: false),
                    HandoverReason = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true),
                    UnresponsiveAgents = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    StateReason = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: true),
                    SyncProgress = table.Column<double>(type: "float", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    WhitelistWarnedTerm = table.Column<long>(type: "bigint", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubnetServices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubnetServices_Subnets_SubnetId",
                        column: x => x.SubnetId,
                        principalTable: "Subnets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ElectionEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SubnetServiceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Term = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    FromAgentId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    FromName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: true),
                    ToAgentId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ToName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    ScoresJson = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ElectionEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ElectionEvents_SubnetServices_SubnetServiceId",
                        column: x => x.SubnetServiceId,
                        principalTable: "SubnetServices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ElectionEvents_SubnetServiceId_At",
                table: "ElectionEvents",
                columns: new[] { "SubnetServiceId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SubnetServices_RepresentativeAgentId",
                table: "SubnetServices",
                column: "RepresentativeAgentId");

            migrationBuilder.CreateIndex(
                name: "IX_SubnetServices_SubnetId_Service",
                table: "SubnetServices",
                columns: new[] { "SubnetId", "Service" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ElectionEvents");

            migrationBuilder.DropTable(
                name: "PublishedWhitelists");

            migrationBuilder.DropTable(
                name: "SubnetServices");
        }
    }
}
