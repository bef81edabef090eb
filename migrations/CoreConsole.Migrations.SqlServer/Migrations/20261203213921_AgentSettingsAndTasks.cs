using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoreConsole.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AgentSettingsAndTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AgentSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    IsDefault = table.Column<bool>(type: "bit", nullable: false),
                    CurrentRevisionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CurrentRevisionNumber = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedInventoryQueries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ModelContains = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    OsContains = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    SubnetId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedInventoryQueries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgentSettingRevisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SettingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    EnableSubnetServices = table.Column<bool>(type: "bit", nullable: false),
                    EnablePxe = table.Column<bool>(type: "bit", nullable: false),
                    CheckInIntervalSeconds = table.Column<int>(type: "int", nullable: false),
                    PolicyIntervalSeconds = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentSettingRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AgentSettingRevisions_AgentSettings_SettingId",
                        column: x => x.SettingId,
                        principalTable: "AgentSettings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScheduledTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    SettingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SettingRevisionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SettingRevisionNumber = table.Column<int>(type: "int", nullable: false),
                    Delivery = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Portal = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ScheduleKind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    RunAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CronExpression = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    TimeZoneId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    NextRunAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ResolvedOccurrences = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduledTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduledTasks_AgentSettingRevisions_SettingRevisionId",
                        column: x => x.SettingRevisionId,
                        principalTable: "AgentSettingRevisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TaskTargetResults",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TaskId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AgentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DeviceName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    SettingRevisionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaskTargetResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaskTargetResults_ScheduledTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "ScheduledTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TaskTargets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TaskId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    RefId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Label = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaskTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaskTargets_ScheduledTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "ScheduledTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AgentSettingRevisions_SettingId_Number",
                table: "AgentSettingRevisions",
                columns: new[] { "SettingId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AgentSettings_IsDefault",
                table: "AgentSettings",
                column: "IsDefault",
                unique: true,
                filter: "[IsDefault] = 1");

            migrationBuilder.CreateIndex(
                name: "IX_AgentSettings_Name",
                table: "AgentSettings",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedInventoryQueries_Name",
                table: "SavedInventoryQueries",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledTasks_CreatedAt",
                table: "ScheduledTasks",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledTasks_SettingId",
                table: "ScheduledTasks",
                column: "SettingId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledTasks_SettingRevisionId",
                table: "ScheduledTasks",
                column: "SettingRevisionId");

            migrationBuilder.CreateIndex(
                name: "IX_TaskTargetResults_AgentId_State",
                table: "TaskTargetResults",
                columns: new[] { "AgentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskTargetResults_State_UpdatedAt",
                table: "TaskTargetResults",
                columns: new[] { "State", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskTargetResults_TaskId_AgentId_SettingRevisionId",
                table: "TaskTargetResults",
                columns: new[] { "TaskId", "AgentId", "SettingRevisionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TaskTargetResults_TaskId_State",
                table: "TaskTargetResults",
                columns: new[] { "TaskId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskTargets_TaskId",
                table: "TaskTargets",
                column: "TaskId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SavedInventoryQueries");

            migrationBuilder.DropTable(
                name: "TaskTargetResults");

            migrationBuilder.DropTable(
                name: "TaskTargets");

            migrationBuilder.DropTable(
                name: "ScheduledTasks");

            migrationBuilder.DropTable(
                name: "AgentSettingRevisions");

            migrationBuilder.DropTable(
                name: "AgentSettings");
        }
    }
}
