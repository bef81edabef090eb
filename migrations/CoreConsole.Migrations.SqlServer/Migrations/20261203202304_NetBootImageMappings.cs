using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoreConsole.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class NetBootImageMappings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CatalogueVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Number = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    MappingVersion = table.Column<int>(type: "int", nullable: false),
                    Json = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogueVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NetBootImageMappings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    ShareUrl = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: true),
                    DefaultImageId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NetBootImageMappings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NetBootImages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ShareUrl = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    FolderName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    FolderUrl = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    PlistBytes = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    Index = table.Column<int>(type: "int", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    IsInstall = table.Column<bool>(type: "bit", nullable: false),
                    IsEnabled = table.Column<bool>(type: "bit", nullable: false),
                    Type = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    BootFile = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    RootPath = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: true),
                    Architectures = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    EnabledSystemIdentifiers = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    OsVersion = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Description = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: true),
                    BootImageId = table.Column<long>(type: "bigint", nullable: false),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    IsMissing = table.Column<bool>(type: "bit", nullable: false),
                    Health = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    HealthCheckedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    HealthJson = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NetBootImages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ModelOverride",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MappingId = table.Column<int>(type: "int", nullable: false),
                    Model = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ImageId = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelOverride", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelOverride_NetBootImageMappings_MappingId",
                        column: x => x.MappingId,
                        principalTable: "NetBootImageMappings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "NetBootImageMappings",
                columns: new[] { "Id", "DefaultImageId", "ShareUrl", "UpdatedAt", "UpdatedBy", "Version" },
                values: new object[] { 1, null, null, null, null, 0 });

            migrationBuilder.CreateIndex(
                name: "IX_CatalogueVersions_Number",
                table: "CatalogueVersions",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModelOverride_MappingId_Model",
                table: "ModelOverride",
                columns: new[] { "MappingId", "Model" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NetBootImages_FolderUrl",
                table: "NetBootImages",
                column: "FolderUrl",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CatalogueVersions");

            migrationBuilder.DropTable(
                name: "ModelOverride");

            migrationBuilder.DropTable(
                name: "NetBootImages");

            migrationBuilder.DropTable(
                name: "NetBootImageMappings");
        }
    }
}
