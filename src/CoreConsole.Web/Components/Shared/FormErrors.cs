using CoreConsole.Application.Common.Results;
using Microsoft.AspNetCore.Components.Forms;

namespace CoreConsole.Web.Components.Shared;

/// <summary>Puts a failed Result's per-field messages next to the fields of an EditForm; other errors become one message.</summary>
internal static class FormErrors
{
    public static void Apply(Error error, EditContext edit, ValidationMessageStore store, out string? message)
    {
        message = null;
        if (error.FieldErrors is { Count: > 0 } fields)
        {
            foreach (var (field, messages) in fields)
            {
                var id = edit.Model.GetType().GetProperty(field) is not null ? edit.Field(field) : new FieldIdentifier(edit.Model, string.Empty);
                foreach (var m in messages) store.Add(id, m);
                if (id.FieldName.Length == 0) message = string.Join(" ", messages);
            }
        }
        else
        {
            message = error.Message;
        }
        edit.NotifyValidationStateChanged();
    }
}
