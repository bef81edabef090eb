using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoreConsole.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    IsDefault = table.Column<bool>(type: "INTEGER", nullable: false),
                    CurrentRevisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CurrentRevisionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedInventoryQueries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ModelContains = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    OsContains = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    SubnetId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedInventoryQueries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgentSettingRevisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SettingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    EnableSubnetServices = table.Column<bool>(type: "INTEGER", nullable: false),
                    EnablePxe = table.Column<bool>(type: "INTEGER", nullable: false),
                    CheckInIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    PolicyIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SettingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SettingRevisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SettingRevisionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Delivery = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Portal = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ScheduleKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CronExpression = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    NextRunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedOccurrences = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    SettingRevisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RefId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
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
