using CoreConsole.Application.Common.Results;
using CsCheck;

namespace CoreConsole.UnitTests.Results;

public sealed class ResultTests
{
    [Fact]
    public void Ok_result_is_a_success_without_an_error()
    {
        var r = Result.Ok();
        r.IsSuccess.ShouldBeTrue();
        r.Error.ShouldBeNull();
    }

    [Fact]
    public void A_failed_result_carries_its_error()
    {
        var error = Error.NotFound("The user");
        Result r = error;
        r.IsSuccess.ShouldBeFalse();
        r.Error.ShouldBeSameAs(error);
        r.Error!.Message.ShouldBe("The user was not found.");
    }

    [Fact]
    public void Failing_with_a_null_error_is_a_bug()
    {
        Should.Throw<ArgumentNullException>(() => Result.Fail(null!));
        Should.Throw<ArgumentNullException>(() => Result<int>.Fail(null!));
    }

    [Fact]
    public void Reading_the_value_of_a_failed_result_throws_with_the_error_message()
    {
        Result<int> r = Error.Conflict("Already there");
        var ex = Should.Throw<InvalidOperationException>(() => _ = r.Value);
        ex.Message.ShouldContain("Already there");
    }

    [Fact]
    public void A_value_converts_to_a_successful_result_holding_it() =>
        Gen.String.Sample(s =>
        {
            Result<string> r = s;
            return r.IsSuccess && r.Value == s && r.Error is null;
        });

    [Fact]
    public void Match_takes_the_success_branch_for_values_and_the_failure_branch_for_errors()
    {
        Gen.Int.Sample(i => Result<int>.Ok(i).Match(v => v, _ => i + 1) == i);
        Result<int>.Fail(Error.Failure("boom")).Match(_ => "ok", e => e.Message).ShouldBe("boom");
    }

    [Fact]
    public void Validation_error_for_one_field_lists_that_field_message()
    {
        var e = Error.Validation("Email", "Enter an email address.");
        e.Kind.ShouldBe(ErrorKind.Validation);
        e.FieldErrors.ShouldNotBeNull();
        e.FieldErrors!["Email"].ShouldBe(["Enter an email address."]);
    }

    [Fact]
    public void Forbidden_error_has_a_default_message()
    {
        var e = Error.Forbidden();
        e.Kind.ShouldBe(ErrorKind.Forbidden);
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void ResultFactory_builds_failed_plain_results()
    {
        ResultFactory<Result>.CanFail.ShouldBeTrue();
        var error = Error.Conflict("stale");
        var r = ResultFactory<Result>.Fail(error);
        r.IsSuccess.ShouldBeFalse();
        r.Error.ShouldBeSameAs(error);
    }

    [Fact]
    public void ResultFactory_builds_failed_generic_results()
    {
        ResultFactory<Result<string>>.CanFail.ShouldBeTrue();
        var error = Error.Forbidden("no");
        var r = ResultFactory<Result<string>>.Fail(error);
        r.IsSuccess.ShouldBeFalse();
        r.Error.ShouldBeSameAs(error);

        ResultFactory<Result<IReadOnlyList<int>>>.Fail(error).Error.ShouldBeSameAs(error);
    }

    [Fact]
    public void ResultFactory_refuses_responses_that_are_not_results()
    {
        ResultFactory<string>.CanFail.ShouldBeFalse();
        ResultFactory<bool>.CanFail.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => ResultFactory<string>.Fail(Error.Failure("x")));
    }
}
