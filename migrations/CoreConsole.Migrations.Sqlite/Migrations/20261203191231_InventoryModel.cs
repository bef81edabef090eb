using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoreConsole.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InventoryModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Devices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PrimaryMac = table.Column<string>(type: "TEXT", maxLength: 17, nullable: true),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OsName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OsVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MacAddresses = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Ipv4Interfaces = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    UptimeSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    FreeDiskBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    InventoryAt = table.Column<long>(type: "INTEGER", nullable: false),
                    InventoryHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Devices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EnrollmentTokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxUses = table.Column<int>(type: "INTEGER", nullable: true),
                    UseCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrollmentTokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Subnets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cidr = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    NetworkAddress = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    NetworkNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    PrefixLength = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Subnets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Agents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PushKey = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    PushUrl = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AgentVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EnrolledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastCheckInAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    InstalledSettingRevisionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    InstalledSettingRevisionNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    EnableSubnetServices = table.Column<bool>(type: "INTEGER", nullable: false),
                    EnablePxe = table.Column<bool>(type: "INTEGER", nullable: false),
                    CheckInIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    PolicyIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    FreeDiskBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Cores = table.Column<int>(type: "INTEGER", nullable: false),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    IsServerOs = table.Column<bool>(type: "INTEGER", nullable: false),
                    WiredLink = table.Column<bool>(type: "INTEGER", nullable: false),
                    RepresentativeSubnet = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    RepresentativeTerm = table.Column<long>(type: "INTEGER", nullable: true),
                    RepresentativeState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    RepresentativeProgress = table.Column<double>(type: "REAL", nullable: true),
                    RepresentativeCatalogueVersion = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RepresentativeError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    StateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Preference = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AssignedSettingId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Agents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Agents_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AgentAddresses",
                columns: table => new
                {
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 15, nullable: false),
                    SubnetId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentAddresses", x => new { x.AgentId, x.Address });
                    table.ForeignKey(
                        name: "FK_AgentAddresses_Agents_AgentId",
                        column: x => x.AgentId,
                        principalTable: "Agents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AgentAddresses_Subnets_SubnetId",
                        column: x => x.SubnetId,
                        principalTable: "Subnets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AgentAddresses_SubnetId",
                table: "AgentAddresses",
                column: "SubnetId");

            migrationBuilder.CreateIndex(
                name: "IX_Agents_DeviceId",
                table: "Agents",
                column: "DeviceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Agents_LastCheckInAt",
                table: "Agents",
                column: "LastCheckInAt");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_HostName",
                table: "Devices",
                column: "HostName");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_LastSeenAt",
                table: "Devices",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_Model",
                table: "Devices",
                column: "Model");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OsName_OsVersion",
                table: "Devices",
                columns: new[] { "OsName", "OsVersion" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_PrimaryMac",
                table: "Devices",
                column: "PrimaryMac");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_SerialNumber",
                table: "Devices",
                column: "SerialNumber");

            migrationBuilder.CreateIndex(
                name: "IX_EnrollmentTokens_TokenHash",
                table: "EnrollmentTokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_Cidr",
                table: "Subnets",
                column: "Cidr",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_NetworkNumber_PrefixLength",
                table: "Subnets",
                columns: new[] { "NetworkNumber", "PrefixLength" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentAddresses");

            migrationBuilder.DropTable(
                name: "EnrollmentTokens");

            migrationBuilder.DropTable(
                name: "Agents");

            migrationBuilder.DropTable(
                name: "Subnets");

            migrationBuilder.DropTable(
                name: "Devices");
        }
    }
}
