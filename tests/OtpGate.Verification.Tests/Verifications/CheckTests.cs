using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Verifications;

public sealed class CheckTests
{
    [Fact]
    public async Task The_right_code_approves_once_and_erases_the_code_material()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        var code = await engine.ReadCodeAsync(id);

        var first = await engine.Verifications.CheckAsync(Engine.Owner, id, code, CancellationToken.None);
        var second = await engine.Verifications.CheckAsync(Engine.Owner, id, code, CancellationToken.None);

        Assert.True(first.Succeeded);
        Assert.Equal(VerificationStatus.Approved, first.Verification!.Status);
        Assert.Equal(Refusal.AlreadyApproved, second.Refusal!.Reason);
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications WHERE code_mac IS NOT NULL OR code_cipher IS NOT NULL"));
    }

    [Fact]
    public async Task Five_wrong_codes_then_the_right_one_is_refused_exactly_like_a_wrong_one()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        var other = await engine.StartVerificationAsync("+1 212 555 0111");
        var code = await engine.ReadCodeAsync(id);
        var wrong = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await engine.Verifications.CheckAsync(Engine.Owner, id, wrong, CancellationToken.None);
            await engine.Verifications.CheckAsync(Engine.Owner, other, wrong, CancellationToken.None);
        }

        var right = await engine.Verifications.CheckAsync(Engine.Owner, id, code, CancellationToken.None);
        var wrongAgain = await engine.Verifications.CheckAsync(Engine.Owner, other, wrong, CancellationToken.None);

        Assert.Equal(Refusal.MaxAttemptsReached, right.Refusal!.Reason);
        Assert.Equal(wrongAgain.Refusal!.Reason, right.Refusal.Reason);
        Assert.Equal(wrongAgain.Refusal.Message, right.Refusal.Message);
        Assert.Equal(VerificationStatus.MaxAttemptsReached, right.Verification!.Status);
    }

    [Fact]
    public async Task Wrong_codes_count_down_the_attempts_left()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        var code = await engine.ReadCodeAsync(id);
        var wrong = code == "111111" ? "222222" : "111111";

        var results = new List<int?>();
        for (var i = 0; i < 5; i++)
        {
            results.Add((await engine.Verifications.CheckAsync(Engine.Owner, id, wrong, CancellationToken.None)).Refusal!.AttemptsLeft);
        }

        Assert.Equal([4, 3, 2, 1, 0], results);
    }

    [Fact]
    public async Task Two_hundred_parallel_wrong_checks_make_exactly_five_comparisons()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        var code = await engine.ReadCodeAsync(id);
        var wrong = code == "123456" ? "654321" : "123456";

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => engine.Verifications.CheckAsync(Engine.Owner, id, wrong, CancellationToken.None))));

        // A comparison answers wrong_code; a check refused before comparing answers max_attempts_reached.
        Assert.Equal(5, results.Count(r => r.Refusal!.Reason == Refusal.WrongCode));
        Assert.Equal(195, results.Count(r => r.Refusal!.Reason == Refusal.MaxAttemptsReached));
        Assert.Equal(5L, await engine.ScalarAsync<long>("SELECT attempts FROM verifications WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Fifty_parallel_right_checks_approve_exactly_once()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        var code = await engine.ReadCodeAsync(id);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => engine.Verifications.CheckAsync(Engine.Owner, id, code, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(Refusal.AlreadyApproved, r.Refusal!.Reason));
    }

    [Fact]
    public async Task A_code_is_valid_until_just_before_its_lifetime_ends_and_not_at_the_end()
    {
        await using var engine = await Engine.StartAsync();
        var early = await engine.StartVerificationAsync("+1 212 555 0100");
        var late = await engine.StartVerificationAsync("+1 212 555 0111");
        var earlyCode = await engine.ReadCodeAsync(early);
        var lateCode = await engine.ReadCodeAsync(late);

        engine.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        var justInTime = await engine.Verifications.CheckAsync(Engine.Owner, early, earlyCode, CancellationToken.None);
        engine.Time.Advance(TimeSpan.FromMilliseconds(1));
        var atExpiry = await engine.Verifications.CheckAsync(Engine.Owner, late, lateCode, CancellationToken.None);

        Assert.True(justInTime.Succeeded);
        Assert.Equal(Refusal.Expired, atExpiry.Refusal!.Reason);
        Assert.Equal(VerificationStatus.Expired, atExpiry.Verification!.Status);
    }

    [Fact]
    public async Task A_code_of_one_verification_does_not_approve_another()
    {
        await using var engine = await Engine.StartAsync();
        var a = await engine.StartVerificationAsync("+1 212 555 0100");
        var b = await engine.StartVerificationAsync("+1 212 555 0111");
        var codeA = await engine.ReadCodeAsync(a);
        var codeB = await engine.ReadCodeAsync(b);
        Assert.SkipWhen(codeA == codeB, "The two random codes happen to be equal.");

        var result = await engine.Verifications.CheckAsync(Engine.Owner, b, codeA, CancellationToken.None);

        Assert.Equal(Refusal.WrongCode, result.Refusal!.Reason);
    }

    [Fact]
    public async Task A_resend_does_not_reset_the_failed_check_count()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        for (var i = 0; i < 3; i++)
        {
            await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.WrongCodeAsync(id), CancellationToken.None);
        }

        engine.Time.Advance(TimeSpan.FromMinutes(9)); // less than 2 minutes left: the resend brings a new code
        var resent = await engine.Verifications.ResendAsync(Engine.Owner, id, CancellationToken.None);

        Assert.True(resent.Succeeded, resent.Refusal?.Message);
        Assert.Equal(2, resent.Verification!.AttemptsLeft);
        Assert.True(resent.Verification.ExpiresAt > engine.Time.GetUtcNow().AddMinutes(9));
    }

    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0} ")]
    [InlineData("{1} {2}")]
    [InlineData("{1}-{2}")]
    [InlineData("{1}\u2013{2}")]
    [InlineData("\u00A0{0}\t")]
    [InlineData("fullwidth")]
    [InlineData("arabic-indic")]
    public async Task Spaces_dashes_and_other_scripts_digits_are_read_as_the_code(string format)
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        var code = await engine.ReadCodeAsync(id);
        var typed = format switch
        {
            "fullwidth" => new string([.. code.Select(c => (char)('\uFF10' + (c - '0')))]),
            "arabic-indic" => new string([.. code.Select(c => (char)('\u0660' + (c - '0')))]),
            _ => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, code, code[..3], code[3..]),
        };

        var result = await engine.Verifications.CheckAsync(Engine.Owner, id, typed, CancellationToken.None);

        Assert.True(result.Succeeded, result.Refusal?.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("12.345")]
    [InlineData("123456789012345678901234567890123")]
    public async Task Input_that_cannot_be_a_code_is_refused_without_costing_an_attempt(string typed)
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();

        var result = await engine.Verifications.CheckAsync(Engine.Owner, id, typed, CancellationToken.None);

        Assert.Equal(Refusal.InvalidRequest, result.Refusal!.Reason);
        Assert.Equal("The code must be the 6 digits of the message.", result.Refusal.Message);
        Assert.Equal(5, (await engine.Verifications.GetAsync(Engine.Owner, id, CancellationToken.None))!.AttemptsLeft);
        Assert.Equal(0, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope LIKE 'fail:%'"));
    }

    [Fact]
    public async Task Checking_an_unknown_id_is_not_found()
    {
        await using var engine = await Engine.StartAsync();

        var result = await engine.Verifications.CheckAsync(Engine.Owner, "vf_unknown", "123456", CancellationToken.None);

        Assert.Equal(Refusal.NotFound, result.Refusal!.Reason);
        Assert.Null(result.Verification);
    }
}
