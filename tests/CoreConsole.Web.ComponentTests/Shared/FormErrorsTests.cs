using CoreConsole.Application.Common.Results;
using CoreConsole.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Forms;

namespace CoreConsole.Web.ComponentTests.Shared;

public sealed class FormErrorsTests
{
    private sealed class Model
    {
        public string Email { get; set; } = "";
        public string Password { get; set; } = "";
    }

    private readonly Model _model = new();
    private readonly EditContext _edit;
    private readonly ValidationMessageStore _store;

    public FormErrorsTests()
    {
        _edit = new EditContext(_model);
        _store = new ValidationMessageStore(_edit);
    }

    [Fact]
    public void Field_errors_go_to_their_fields_and_leave_no_general_message()
    {
        FormErrors.Apply(Error.Validation(new Dictionary<string, string[]> { ["Email"] = ["Taken.", "Too long."], ["Password"] = ["Weak."] }),
            _edit, _store, out var message);

        message.ShouldBeNull();
        _edit.GetValidationMessages(_edit.Field(nameof(Model.Email))).ShouldBe(["Taken.", "Too long."]);
        _edit.GetValidationMessages(_edit.Field(nameof(Model.Password))).ShouldBe(["Weak."]);
    }

    [Fact]
    public void Errors_for_fields_the_form_does_not_have_become_the_general_message()
    {
        FormErrors.Apply(Error.Validation(new Dictionary<string, string[]> { ["Role"] = ["Choose a role."], ["Email"] = ["Taken."] }),
            _edit, _store, out var message);

        message.ShouldBe("Choose a role.");
        _edit.GetValidationMessages(_edit.Field(nameof(Model.Email))).ShouldBe(["Taken."]);
    }

    [Fact]
    public void Errors_without_fields_become_the_general_message()
    {
        FormErrors.Apply(Error.Conflict("Already done."), _edit, _store, out var message);

        message.ShouldBe("Already done.");
        _edit.GetValidationMessages().ShouldBeEmpty();
    }

    [Fact]
    public void Applying_errors_notifies_the_form()
    {
        var notified = 0;
        _edit.OnValidationStateChanged += (_, _) => notified++;
        FormErrors.Apply(Error.Validation("Email", "Taken."), _edit, _store, out _);
        notified.ShouldBe(1);
    }
}
