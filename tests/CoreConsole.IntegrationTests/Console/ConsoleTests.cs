using System.Net;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Audit;
using CoreConsole.Application.Features.Dashboard;
using CoreConsole.Application.Features.Jobs;
using CoreConsole.Application.Features.Users;
using CoreConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Console;

/// <summary>
/// The console's use cases through the real host and pipeline. Runs once per database provider (see the subclasses);
/// all tests of a class share one host and database, so each test uses its own users and never adds an administrator
/// (the last-administrator test relies on the setup account being the only one).
/// </summary>
public abstract class ConsoleTests<THost>(THost host) where THost : ConsoleHost
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Password = "Us3r-Passw0rd-Long";

    /// <summary>The host, or a skip when this provider is unavailable here.</summary>
    protected THost App
    {
        get
        {
            Assert.SkipWhen(host.SkipReason is not null, host.SkipReason ?? "");
            return host;
        }
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private Task<Result<string>> CreateUser(string email, string role = Roles.Viewer, string password = Password, UserContext? by = null) =>
        App.SendAs(by ?? App.Admin, s => s.Send(new CreateUserCommand(email, null, role, password)));

    private async Task<UserRow> UserRow(string id) =>
        (await App.SendAs(App.Admin, s => s.Send(new ListUsersQuery()))).Single(u => u.Id == id);

    private Task<int> UserCount() => App.Query(db => db.Users.CountAsync(Ct));
    private Task<int> AuditCount() => App.Query(db => db.AuditEntries.CountAsync(Ct));

    // ---- first-run setup and users -------------------------------------------------------------------------------

    [Fact]
    public async Task First_administrator_setup_works_once_then_conflicts()
    {
        App.FirstAdministratorSetup.IsSuccess.ShouldBeTrue(App.FirstAdministratorSetup.Error?.Message);
        (await UserRow(App.FirstAdministratorSetup.Value)).Role.ShouldBe(Roles.Administrator);
        (await App.SendAs(UserContext.Anonymous, s => s.Send(new GetSetupStateQuery()))).ShouldBeFalse("setup closes once a user exists");

        var users = await UserCount();
        var again = await App.SendAs(UserContext.Anonymous, s => s.Send(new CreateFirstAdministratorCommand("intruder@tests.example", Password, Password)));

        again.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
        (await UserCount()).ShouldBe(users);
    }

    [Fact]
    public async Task An_administrator_creates_a_user_who_then_appears_in_the_list()
    {
        var email = Unique("ops") + "@tests.example";
        var created = await CreateUser(email, Roles.Operator);

        created.IsSuccess.ShouldBeTrue(created.Error?.Message);
        var row = await UserRow(created.Value);
        row.Email.ShouldBe(email);
        row.Role.ShouldBe(Roles.Operator);
        row.IsDisabled.ShouldBeFalse();
        row.ConcurrencyStamp.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Creating_a_second_user_with_the_same_email_is_a_validation_error()
    {
        var email = Unique("dup") + "@tests.example";
        (await CreateUser(email)).IsSuccess.ShouldBeTrue();
        var users = await UserCount();

        var again = await CreateUser(email);

        again.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Validation);
        again.Error.FieldErrors.ShouldNotBeNull().ShouldContainKey(nameof(CreateUserCommand.Email));
        (await UserCount()).ShouldBe(users);
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    public async Task Non_administrators_cannot_create_users_and_nothing_is_written(string role)
    {
        var (users, audits) = (await UserCount(), await AuditCount());
        var email = Unique("sneaky") + "@tests.example";

        var result = await CreateUser(email, Roles.Administrator, by: TestCurrentUser.InRole(role));

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        (await UserCount()).ShouldBe(users);
        (await AuditCount()).ShouldBe(audits);
        (await App.Query(db => db.Users.AnyAsync(u => u.Email == email, Ct))).ShouldBeFalse();
    }

    [Fact]
    public async Task Viewer_cannot_list_users()
    {
        var app = App;
        await Should.ThrowAsync<UnauthorizedAccessException>(() =>
            app.SendAs(TestCurrentUser.InRole(Roles.Viewer), s => s.Send(new ListUsersQuery())));
    }

    [Fact]
    public async Task Anonymous_callers_cannot_create_users()
    {
        var users = await UserCount();
        var result = await CreateUser(Unique("anon") + "@tests.example", by: UserContext.Anonymous);
        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        (await UserCount()).ShouldBe(users);
    }

    [Fact]
    public async Task Invalid_new_user_input_returns_field_errors_and_writes_nothing()
    {
        var (users, audits) = (await UserCount(), await AuditCount());

        var result = await App.SendAs(App.Admin, s => s.Send(new CreateUserCommand("not-an-email", null, "Root", "short")));

        var error = result.Error.ShouldNotBeNull();
        error.Kind.ShouldBe(ErrorKind.Validation);
        error.FieldErrors.ShouldNotBeNull().Keys.ShouldBe(["Email", "Role", "Password"], ignoreOrder: true);
        (await UserCount()).ShouldBe(users);
        (await AuditCount()).ShouldBe(audits);
    }

    [Fact]
    public async Task Changing_a_role_with_a_stale_concurrency_stamp_is_a_conflict()
    {
        var id = (await CreateUser(Unique("stale") + "@tests.example")).Value;
        var seenByTabA = await UserRow(id);
        var seenByTabB = await UserRow(id);

        var first = await App.SendAs(App.Admin, s => s.Send(new ChangeUserRoleCommand(id, Roles.Operator, seenByTabA.ConcurrencyStamp)));
        first.IsSuccess.ShouldBeTrue(first.Error?.Message);

        var second = await App.SendAs(App.Admin, s => s.Send(new ChangeUserRoleCommand(id, Roles.Viewer, seenByTabB.ConcurrencyStamp)));

        second.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
        (await UserRow(id)).Role.ShouldBe(Roles.Operator, "the stale change must not overwrite the first one");
    }

    [Fact]
    public async Task Disabling_a_user_with_a_stale_concurrency_stamp_is_a_conflict()
    {
        var id = (await CreateUser(Unique("stale2") + "@tests.example")).Value;
        var stale = await UserRow(id);
        (await App.SendAs(App.Admin, s => s.Send(new ChangeUserRoleCommand(id, Roles.Operator, stale.ConcurrencyStamp)))).IsSuccess.ShouldBeTrue();

        var result = await App.SendAs(App.Admin, s => s.Send(new SetUserDisabledCommand(id, true, stale.ConcurrencyStamp)));

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
        (await UserRow(id)).IsDisabled.ShouldBeFalse();
    }

    [Fact]
    public async Task A_disabled_user_is_shown_disabled_and_can_be_enabled_again()
    {
        var id = (await CreateUser(Unique("dis") + "@tests.example")).Value;
        var disabled = await App.SendAs(App.Admin, async s => await s.Send(new SetUserDisabledCommand(id, true, (await UserRow(id)).ConcurrencyStamp)));
        disabled.IsSuccess.ShouldBeTrue(disabled.Error?.Message);
        (await UserRow(id)).IsDisabled.ShouldBeTrue();

        var enabled = await App.SendAs(App.Admin, async s => await s.Send(new SetUserDisabledCommand(id, false, (await UserRow(id)).ConcurrencyStamp)));
        enabled.IsSuccess.ShouldBeTrue(enabled.Error?.Message);
        (await UserRow(id)).IsDisabled.ShouldBeFalse();
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_demoted_or_disabled()
    {
        var rows = await App.SendAs(App.Admin, s => s.Send(new ListUsersQuery()));
        rows.Where(r => r.Role == Roles.Administrator && !r.IsDisabled).Select(r => r.Id).ShouldBe([App.Admin.UserId!], "precondition: one active administrator");
        var admin = rows.Single(r => r.Id == App.Admin.UserId);

        var demote = await App.SendAs(App.Admin, s => s.Send(new ChangeUserRoleCommand(admin.Id, Roles.Viewer, admin.ConcurrencyStamp)));
        demote.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
        demote.Error.Message.ShouldContain("last active administrator");

        // Sent by the system (no user id), so the refusal is the last-admin rule, not "you cannot disable yourself".
        using (SystemContext.Enter())
        {
            var disable = await App.SendAs(UserContext.Anonymous, s => s.Send(new SetUserDisabledCommand(admin.Id, true, admin.ConcurrencyStamp)));
            disable.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
            disable.Error.Message.ShouldContain("last active administrator");
        }

        var after = await UserRow(admin.Id);
        after.Role.ShouldBe(Roles.Administrator);
        after.IsDisabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Administrators_cannot_disable_their_own_account()
    {
        var me = await UserRow(App.Admin.UserId!);
        var result = await App.SendAs(App.Admin, s => s.Send(new SetUserDisabledCommand(me.Id, true, me.ConcurrencyStamp)));
        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
        (await UserRow(me.Id)).IsDisabled.ShouldBeFalse();
    }

    // ---- audit -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Every_successful_command_writes_an_audit_entry_with_user_and_action_and_never_a_password()
    {
        var actor = new UserContext(App.Admin.UserId, App.Admin.Name, App.Admin.Roles, true);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var createPassword = "Cr3ate-" + Guid.NewGuid().ToString("N");
        var resetPassword = "R3set-" + Guid.NewGuid().ToString("N");

        var id = (await CreateUser(Unique("aud") + "@tests.example", password: createPassword, by: actor)).Value;
        var row = await UserRow(id);
        (await App.SendAs(actor, s => s.Send(new ChangeUserRoleCommand(id, Roles.Operator, row.ConcurrencyStamp)))).IsSuccess.ShouldBeTrue();
        row = await UserRow(id);
        (await App.SendAs(actor, s => s.Send(new SetUserDisabledCommand(id, true, row.ConcurrencyStamp)))).IsSuccess.ShouldBeTrue();
        (await App.SendAs(actor, s => s.Send(new ResetUserPasswordCommand(id, resetPassword)))).IsSuccess.ShouldBeTrue();

        var entries = await App.Query(db => db.AuditEntries.Where(a => a.EntityId == id).OrderBy(a => a.Id).ToListAsync(Ct));

        entries.Select(e => e.Action).ShouldBe(["CreateUser", "ChangeUserRole", "SetUserDisabled", "ResetUserPassword"]);
        entries.ShouldAllBe(e => e.UserId == actor.UserId && e.UserName == actor.Name && e.EntityType == "User");
        entries.ShouldAllBe(e => e.At >= since && e.At <= DateTimeOffset.UtcNow.AddSeconds(1));
        entries[1].Before.ShouldNotBeNull().ShouldContain(Roles.Viewer);
        entries[1].After.ShouldNotBeNull().ShouldContain(Roles.Operator);

        var everything = await App.Query(db => db.AuditEntries.ToListAsync(Ct));
        foreach (var secret in new[] { createPassword, resetPassword, ConsoleHost.AdminPassword })
            everything.ShouldAllBe(e => !Contains(e, secret), $"a password leaked into the audit log");
    }

    [Fact]
    public async Task First_administrator_setup_is_audited_without_its_password()
    {
        var entry = await App.Query(db => db.AuditEntries.SingleAsync(a => a.Action == "CreateFirstAdministrator", Ct));
        entry.EntityId.ShouldBe(App.Admin.UserId);
        entry.After.ShouldNotBeNull().ShouldContain(ConsoleHost.AdminEmail);
        Contains(entry, ConsoleHost.AdminPassword).ShouldBeFalse();
    }

    private static bool Contains(AuditEntry e, string secret) =>
        (e.Before?.Contains(secret, StringComparison.Ordinal) ?? false) || (e.After?.Contains(secret, StringComparison.Ordinal) ?? false)
        || (e.Summary?.Contains(secret, StringComparison.Ordinal) ?? false);

    [Fact]
    public async Task Audit_entries_can_be_filtered_and_paged()
    {
        var tag = Unique("pg");
        var actor = new UserContext(App.Admin.UserId, $"auditor-{tag}@tests.example", App.Admin.Roles, true);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await CreateUser($"{tag}-{i}@tests.example", by: actor)).Value);
        var row = await UserRow(ids[0]);
        (await App.SendAs(actor, s => s.Send(new ChangeUserRoleCommand(ids[0], Roles.Operator, row.ConcurrencyStamp)))).IsSuccess.ShouldBeTrue();

        Task<Application.Common.Paging.Paged<AuditEntry>> List(ListAuditEntriesQuery q) => App.SendAs(TestCurrentUser.InRole(Roles.Viewer), s => s.Send(q));

        var byUser = await List(new ListAuditEntriesQuery(User: tag));
        byUser.Total.ShouldBe(4);
        byUser.Items.Select(e => e.Action).ShouldBe(["ChangeUserRole", "CreateUser", "CreateUser", "CreateUser"], "newest first");

        var page0 = await List(new ListAuditEntriesQuery(Page: 0, PageSize: 3, User: tag));
        var page1 = await List(new ListAuditEntriesQuery(Page: 1, PageSize: 3, User: tag));
        page0.Items.Count.ShouldBe(3);
        page1.Items.Count.ShouldBe(1);
        page0.Total.ShouldBe(4);
        page0.Items.Concat(page1.Items).Select(e => e.Id).ShouldBe(byUser.Items.Select(e => e.Id));

        (await List(new ListAuditEntriesQuery(User: tag, Action: "CreateUser"))).Items.Select(e => e.EntityId).ShouldBe(ids, ignoreOrder: true);
        (await List(new ListAuditEntriesQuery(Search: $"{tag}-1@"))).Items.ShouldHaveSingleItem().EntityId.ShouldBe(ids[1]);
        (await List(new ListAuditEntriesQuery(User: tag, EntityType: "WorkItem"))).Total.ShouldBe(0);
        (await List(new ListAuditEntriesQuery(User: tag, From: before))).Total.ShouldBe(4);
        (await List(new ListAuditEntriesQuery(User: tag, To: before))).Total.ShouldBe(0);
        (await List(new ListAuditEntriesQuery(User: tag, From: DateTimeOffset.UtcNow.AddMinutes(1)))).Total.ShouldBe(0);
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Health_endpoint_reports_healthy()
    {
        using var client = App.Factory.CreateClient();
        // The job server announces itself shortly after start-up; health must become Healthy, not stay degraded.
        string body = "";
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/healthz", Ct);
            (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
            if (status == HttpStatusCode.OK) break;
            await Task.Delay(250, Ct);
        }
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldBe("Healthy");
    }

    [Fact]
    public async Task An_unknown_route_returns_404()
    {
        using var client = App.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync($"/{Guid.NewGuid():N}/nothing-here", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Anonymous_visitors_to_the_dashboard_are_sent_to_sign_in()
    {
        using var client = App.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/", Ct);
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Found);
        var location = response.Headers.Location.ShouldNotBeNull();
        (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]).ShouldBe("/Account/Login");
    }

    [Fact]
    public async Task The_sign_in_page_is_served_to_anonymous_visitors()
    {
        using var client = App.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/Account/Login", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("id=\"sign-in\"");
    }

    // ---- work queue ---------------------------------------------------------------------------------------------

    private async Task<WorkItem> WaitForFinish(Guid id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var item = await App.Query(db => db.WorkItems.AsNoTracking().SingleAsync(w => w.Id == id, Ct));
            if (item.State is WorkItemState.Succeeded or WorkItemState.Failed or WorkItemState.Cancelled) return item;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Work item still {item.State} after {item.Attempts} attempt(s): {item.LastError}");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task Enqueued_work_runs_its_handler_and_succeeds()
    {
        var id = await App.Queue.EnqueueAsync(RecordingWorkHandler.DefaultKind, "hello", ct: Ct);

        var item = await WaitForFinish(id);

        item.State.ShouldBe(WorkItemState.Succeeded);
        item.Attempts.ShouldBe(1);
        item.FinishedAt.ShouldNotBeNull();
        item.LeaseUntil.ShouldBeNull();
        App.Recorder.Runs[id].ShouldBe(1);
    }

    [Fact]
    public async Task Work_that_fails_twice_then_succeeds_ends_succeeded_after_three_attempts()
    {
        var id = await App.Queue.EnqueueAsync(FlakyWorkHandler.WorkKind, "2", ct: Ct);

        var item = await WaitForFinish(id);

        item.State.ShouldBe(WorkItemState.Succeeded, item.LastError);
        item.Attempts.ShouldBe(3);
        App.Flaky.Runs[id].ShouldBe(3);
    }

    [Fact]
    public async Task Work_that_keeps_failing_ends_failed_after_its_maximum_attempts()
    {
        var id = await App.Queue.EnqueueAsync(FlakyWorkHandler.WorkKind, "99", maxAttempts: 2, ct: Ct);

        var item = await WaitForFinish(id);

        item.State.ShouldBe(WorkItemState.Failed);
        item.Attempts.ShouldBe(2);
        item.LastError.ShouldNotBeNull().ShouldContain("planned failure 2");
        App.Flaky.Runs[id].ShouldBe(2);
    }

    [Fact]
    public async Task Work_of_an_unknown_kind_fails_without_retrying()
    {
        var id = await App.Queue.EnqueueAsync("test.nobody-handles-this", null, ct: Ct);
        var item = await WaitForFinish(id);
        item.State.ShouldBe(WorkItemState.Failed);
        item.Attempts.ShouldBe(1);
        item.LastError.ShouldNotBeNull().ShouldContain("No handler");
    }

    [Fact]
    public async Task The_jobs_list_filters_by_state_and_pages_newest_first()
    {
        var failed = await App.Queue.EnqueueAsync("test.nobody-handles-this", null, ct: Ct);
        await WaitForFinish(failed);
        var succeeded = await App.Queue.EnqueueAsync(RecordingWorkHandler.DefaultKind, "list", ct: Ct);
        await WaitForFinish(succeeded);
        var viewer = TestCurrentUser.InRole(Roles.Viewer);

        var onlyFailed = await App.SendAs(viewer, s => s.Send(new ListWorkItemsQuery(PageSize: 500, State: WorkItemState.Failed)));
        onlyFailed.Items.ShouldAllBe(w => w.State == WorkItemState.Failed);
        onlyFailed.Items.Select(w => w.Id).ShouldContain(failed);
        onlyFailed.Items.Select(w => w.Id).ShouldNotContain(succeeded);

        var all = await App.SendAs(viewer, s => s.Send(new ListWorkItemsQuery(PageSize: 500)));
        all.Total.ShouldBe(await App.Query(db => db.WorkItems.CountAsync(Ct)));
        all.Items.Select(w => w.CreatedAt).ShouldBeInOrder(SortDirection.Descending);
        all.Items[0].Id.ShouldBe(succeeded);

        var second = await App.SendAs(viewer, s => s.Send(new ListWorkItemsQuery(Page: 1, PageSize: 1)));
        second.Items.ShouldHaveSingleItem().Id.ShouldBe(all.Items[1].Id);
        second.Total.ShouldBe(all.Total);
    }

    [Fact]
    public async Task The_dashboard_counts_what_the_database_holds()
    {
        var failed = await App.Queue.EnqueueAsync("test.nobody-handles-this", null, ct: Ct);
        await WaitForFinish(failed);

        var summary = await App.SendAs(TestCurrentUser.InRole(Roles.Viewer), s => s.Send(new GetDashboardQuery()));

        summary.Users.ShouldBe(await UserCount());
        summary.WorkFailed.ShouldBe(await App.Query(db => db.WorkItems.CountAsync(w => w.State == WorkItemState.Failed, Ct)));
        summary.WorkFailed.ShouldBeGreaterThan(0);
        summary.RecentChanges.Count.ShouldBe(Math.Min(8, await AuditCount()));
        summary.RecentChanges.Select(a => a.At).ShouldBeInOrder(SortDirection.Descending);
    }

    [Fact]
    public async Task Enqueueing_twice_with_the_same_key_returns_the_existing_work_item()
    {
        var key = Unique("key");
        var first = await App.Queue.EnqueueAsync(RecordingWorkHandler.DefaultKind, "a", key, ct: Ct);
        var second = await App.Queue.EnqueueAsync(RecordingWorkHandler.DefaultKind, "b", key, ct: Ct);

        second.ShouldBe(first);
        (await WaitForFinish(first)).State.ShouldBe(WorkItemState.Succeeded);
        (await App.Query(db => db.WorkItems.CountAsync(w => w.Key == key, Ct))).ShouldBe(1);
    }
}

public sealed class ConsoleTestsOnSqlite(SqliteConsoleHost host) : ConsoleTests<SqliteConsoleHost>(host), IClassFixture<SqliteConsoleHost>;

public sealed class ConsoleTestsOnSqlServer(SqlServerConsoleHost host) : ConsoleTests<SqlServerConsoleHost>(host), IClassFixture<SqlServerConsoleHost>;
