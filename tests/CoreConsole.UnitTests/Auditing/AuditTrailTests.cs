using System.Text.Json;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Features.Users;
using CsCheck;

namespace CoreConsole.UnitTests.Auditing;

public sealed class AuditTrailTests
{
    private static readonly Gen<string> Passwords = Gen.String[Gen.Char.AlphaNumeric, 8, 40].Select(s => "Pw!" + s);

    [Fact]
    public void Serializing_a_create_user_command_leaves_out_the_password() =>
        Passwords.Sample(password =>
        {
            var json = AuditTrail.Serialize(new CreateUserCommand("op@example.test", "Op", "Operator", password))!;
            using var doc = JsonDocument.Parse(json);
            return !json.Contains(password, StringComparison.Ordinal)
                   && !doc.RootElement.TryGetProperty("Password", out _)
                   && doc.RootElement.GetProperty("Email").GetString() == "op@example.test"
                   && doc.RootElement.GetProperty("Role").GetString() == "Operator";
        });

    [Fact]
    public void Serializing_first_administrator_setup_leaves_out_both_password_fields()
    {
        var json = AuditTrail.Serialize(new CreateFirstAdministratorCommand("admin@example.test", "Secret-Passw0rd", "Secret-Passw0rd"))!;
        json.ShouldNotContain("Secret-Passw0rd");
        json.ShouldNotContain("Password");
        json.ShouldContain("admin@example.test");
    }

    [Fact]
    public void Serializing_a_password_reset_keeps_the_user_but_not_the_new_password()
    {
        var json = AuditTrail.Serialize(new ResetUserPasswordCommand("user-42", "N3wPassword!!"))!;
        json.ShouldNotContain("N3wPassword!!");
        json.ShouldContain("user-42");
    }

    [Fact]
    public void Null_serializes_to_null() => AuditTrail.Serialize(null).ShouldBeNull();

    [Fact]
    public void Enums_are_written_by_name_and_nulls_are_omitted()
    {
        var json = AuditTrail.Serialize(new { State = WorkItemState.Failed, Note = (string?)null })!;
        json.ShouldBe("""{"State":"Failed"}""");
    }

    [Fact]
    public void Recording_outside_an_audited_command_is_ignored()
    {
        var outside = AuditTrail.Begin();
        AuditTrail.End();
        AuditTrail.Record("User", "1", null, new { A = 1 });
        outside.ShouldBeEmpty();
    }

    [Fact]
    public void Changes_recorded_during_a_command_are_collected_in_order()
    {
        var changes = AuditTrail.Begin();
        try
        {
            AuditTrail.Record("User", 1, null, new { Role = "Viewer" }, "first");
            AuditTrail.Record("User", 2, new { Role = "Viewer" }, new { Role = "Operator" });
        }
        finally
        {
            AuditTrail.End();
        }
        changes.Select(c => c.EntityId).ShouldBe(["1", "2"]);
        changes[0].Summary.ShouldBe("first");
    }

    [Fact]
    public async Task Concurrent_commands_keep_separate_trails()
    {
        async Task<List<AuditChange>> Run(string id)
        {
            var changes = AuditTrail.Begin();
            await Task.Yield();
            AuditTrail.Record("User", id, null, null);
            await Task.Delay(10, TestContext.Current.CancellationToken);
            AuditTrail.Record("User", id, null, null);
            AuditTrail.End();
            return changes;
        }

        var results = await Task.WhenAll(Run("a"), Run("b"));
        results[0].ShouldAllBe(c => c.EntityId == "a");
        results[1].ShouldAllBe(c => c.EntityId == "b");
        results.ShouldAllBe(r => r.Count == 2);
    }
}
