using OtpGate.Verification.Limits;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Verifications;

/// <summary>
/// Guessing stays bounded per phone, whoever guesses from wherever, and nobody who merely knows a number can lock its
/// owner out: past the phone's cap, only the first try of each fresh code is compared, and a starter's own failures
/// bring growing delays instead of a wall.
/// </summary>
public sealed class GuessingTests
{
    private const string Phone = "+1 212 555 0100";
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_stranger_who_fails_twenty_times_cannot_lock_the_numbers_owner_out()
    {
        await using var engine = await Engine.StartAsync();
        var attacker = new VerificationOwner("signup:attacker-session");

        // Reproduction 4: one browser signs up with the victim's number, enters 5 wrong codes, asks for a new code, four
        // times. Its own failures soon make it wait; whatever it gets compared, the owner is not locked out.
        var compared = 0;
        for (var round = 0; round < 4; round++)
        {
            var id = (await engine.Verifications.StartAsync(attacker, new StartRequest(Phone, ClientIp: "198.51.100.7"), None)).Verification!.Id;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var guess = await engine.Verifications.CheckAsync(attacker, id, await engine.WrongCodeAsync(id), None);
                compared += guess.Refusal!.Reason == Refusal.WrongCode ? 1 : 0;
            }

            engine.Time.Advance(TimeSpan.FromMinutes(10)); // "Send a new code" once this one is over
        }

        Assert.Equal(8, compared); // 5, then the first try of each new code (the rest wait out growing delays)

        // The owner signs up afterwards, from their own session, and types the code they got.
        var victim = new VerificationOwner("signup:victim-session");
        var mine = (await engine.Verifications.StartAsync(victim, new StartRequest(Phone, ClientIp: "203.0.113.9"), None)).Verification!.Id;
        var approved = await engine.Verifications.CheckAsync(victim, mine, await engine.ReadCodeAsync(mine), None);

        Assert.True(approved.Succeeded, approved.Refusal?.Message);
    }

    [Fact]
    public async Task An_owner_who_mistypes_past_the_cap_gets_in_with_a_new_code()
    {
        await using var engine = await Engine.StartAsync();
        for (var session = 0; session < 4; session++)
        {
            var attacker = new VerificationOwner($"signup:attacker-{session}");
            var id = (await engine.Verifications.StartAsync(attacker, new StartRequest(Phone), None)).Verification!.Id;
            Assert.Equal(5, await GuessUntilRefusedAsync(engine, attacker, id));
        }

        var victim = new VerificationOwner("signup:victim");
        var mine = (await engine.Verifications.StartAsync(victim, new StartRequest(Phone), None)).Verification!.Id;
        var typo = await engine.Verifications.CheckAsync(victim, mine, await engine.WrongCodeAsync(mine), None);
        var rightButNotFresh = await engine.Verifications.CheckAsync(victim, mine, await engine.ReadCodeAsync(mine), None);

        Assert.Equal(Refusal.WrongCode, typo.Refusal!.Reason); // the fresh code's first try was compared
        Assert.Equal(Refusal.RateLimited, rightButNotFresh.Refusal!.Reason); // the phone is over its cap: no comparison, no oracle
        Assert.Equal(LimitNames.PhoneFailedChecks, rightButNotFresh.Refusal.Limit);
        Assert.Contains("ask for a new code", rightButNotFresh.Refusal.Message, StringComparison.Ordinal);

        // "Send a new code", as the sign-up page does it: a resend, or a new verification once this one is over, after
        // whatever wait the phone's send limits ask for (the strangers' five codes filled its 10 minutes).
        var fresh = await AskForNewCodeAsync(engine, victim, mine);
        var approved = await engine.Verifications.CheckAsync(victim, fresh, await engine.ReadCodeAsync(fresh), None);

        Assert.True(approved.Succeeded, approved.Refusal?.Message);
    }

    [Fact]
    public async Task The_phone_cap_counts_every_starter_and_frees_after_its_window()
    {
        await using var engine = await Engine.StartAsync();
        for (var key = 0; key < 4; key++)
        {
            var owner = VerificationOwner.ApiKey($"key-{key}");
            var id = (await engine.Verifications.StartAsync(owner, new StartRequest(Phone, ClientIp: $"198.51.100.{key}"), None)).Verification!.Id;
            await GuessUntilRefusedAsync(engine, owner, id);
        }

        var fifth = VerificationOwner.ApiKey("key-5");
        var late = (await engine.Verifications.StartAsync(fifth, new StartRequest(Phone), None)).Verification!.Id;
        Assert.Equal(Refusal.WrongCode, (await engine.Verifications.CheckAsync(fifth, late, await engine.WrongCodeAsync(late), None)).Refusal!.Reason);
        var refused = await engine.Verifications.CheckAsync(fifth, late, await engine.WrongCodeAsync(late), None);

        Assert.Equal(LimitNames.PhoneFailedChecks, refused.Refusal!.Limit);
        Assert.InRange(refused.Refusal.RetryAfter!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        Assert.Equal(4, refused.Verification!.AttemptsLeft); // the refused check cost no attempt

        engine.Time.Advance(TimeSpan.FromHours(24));
        var next = (await engine.Verifications.StartAsync(fifth, new StartRequest(Phone), None)).Verification!.Id;
        await engine.Verifications.CheckAsync(fifth, next, await engine.WrongCodeAsync(next), None);
        Assert.True((await engine.Verifications.CheckAsync(fifth, next, await engine.ReadCodeAsync(next), None)).Succeeded);
    }

    [Fact]
    public async Task A_starters_delays_grow_from_its_sixth_failure_and_end_when_waited_out()
    {
        await using var engine = await Engine.StartAsync();
        var owner = VerificationOwner.ApiKey("t");
        var first = (await engine.Verifications.StartAsync(owner, new StartRequest(Phone, ClientIp: "198.51.100.7"), None)).Verification!.Id;
        Assert.Equal(5, await GuessUntilRefusedAsync(engine, owner, first));
        engine.Time.Advance(TimeSpan.FromMinutes(10)); // the first one expires
        var second = (await engine.Verifications.StartAsync(owner, new StartRequest(Phone, ClientIp: "198.51.100.7"), None)).Verification!.Id;

        // Failure 6 is the fresh code's first try; then 60 s, 120 s, 240 s between tries.
        Assert.Equal(Refusal.WrongCode, (await engine.Verifications.CheckAsync(owner, second, await engine.WrongCodeAsync(second), None)).Refusal!.Reason);
        foreach (var seconds in new[] { 60, 120, 240 })
        {
            var tooSoon = await engine.Verifications.CheckAsync(owner, second, await engine.WrongCodeAsync(second), None);
            Assert.Equal(LimitNames.FailedChecksDelay, tooSoon.Refusal!.Limit);
            Assert.Equal(TimeSpan.FromSeconds(seconds), tooSoon.Refusal.RetryAfter);

            engine.Time.Advance(TimeSpan.FromSeconds(seconds));
            Assert.Equal(Refusal.WrongCode, (await engine.Verifications.CheckAsync(owner, second, await engine.WrongCodeAsync(second), None)).Refusal!.Reason);
        }

        // The same key for another end user (another address) is another starter, with no delay.
        var other = (await engine.Verifications.StartAsync(owner, new StartRequest("+1 212 555 0111", ClientIp: "203.0.113.9"), None)).Verification!.Id;
        await engine.Verifications.CheckAsync(owner, other, await engine.WrongCodeAsync(other), None);
        Assert.Equal(Refusal.WrongCode, (await engine.Verifications.CheckAsync(owner, other, await engine.WrongCodeAsync(other), None)).Refusal!.Reason);
    }

    [Fact]
    public async Task A_right_code_clears_its_starters_delays_but_not_the_phones_count()
    {
        await using var engine = await Engine.StartAsync();
        var owner = VerificationOwner.ApiKey("t");
        var first = (await engine.Verifications.StartAsync(owner, new StartRequest(Phone), None)).Verification!.Id;
        await GuessUntilRefusedAsync(engine, owner, first);
        engine.Time.Advance(TimeSpan.FromMinutes(10));
        var second = (await engine.Verifications.StartAsync(owner, new StartRequest(Phone), None)).Verification!.Id;
        Assert.True((await engine.Verifications.CheckAsync(owner, second, await engine.ReadCodeAsync(second), None)).Succeeded);

        var third = (await engine.Verifications.StartAsync(owner, new StartRequest(Phone), None)).Verification!.Id;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Refusal.WrongCode, (await engine.Verifications.CheckAsync(owner, third, await engine.WrongCodeAsync(third), None)).Refusal!.Reason);
        }

        Assert.Equal(9, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'fail:12125550100'"));
    }

    [Fact]
    public async Task An_attacker_over_many_sessions_and_addresses_gets_at_most_thirty_five_guesses_in_any_day()
    {
        // The bound with the defaults: 20 failed checks per phone, plus the first try of each code sent in the window and
        // the code lifetime before it (at most 10 + 5 sends). Two days of a greedy attacker who waits out every refusal.
        await using var engine = await Engine.StartAsync();
        var comparisons = new List<DateTimeOffset>();
        var end = engine.Time.GetUtcNow().AddDays(2);
        var sessions = 0;
        while (engine.Time.GetUtcNow() < end)
        {
            var owner = new VerificationOwner($"signup:session-{++sessions}");
            var started = await engine.Verifications.StartAsync(owner, new StartRequest(Phone, ClientIp: $"2001:db8:{sessions:x}::1"), None);
            if (started.Refusal is { } refusal)
            {
                engine.Time.Advance(refusal.RetryAfter!.Value);
                continue;
            }

            var id = started.Verification!.Id;
            while (true)
            {
                var guessed = await engine.Verifications.CheckAsync(owner, id, await engine.WrongCodeAsync(id), None);
                if (guessed.Refusal?.Reason == Refusal.WrongCode)
                {
                    comparisons.Add(engine.Time.GetUtcNow());
                    continue;
                }

                // Refused without a comparison: a resend makes the code fresh again, when the limits allow one.
                engine.Time.Advance(TimeSpan.FromSeconds(30));
                if (!(await engine.Verifications.ResendAsync(owner, id, None)).Succeeded)
                {
                    break;
                }
            }
        }

        var worstDay = comparisons.Max(start => comparisons.Count(at => at >= start && at < start.AddDays(1)));
        Assert.InRange(worstDay, 20, 35); // this greedy attacker gets 26
        Assert.InRange(comparisons.Count(at => at < end.AddDays(-1)), 20, 30); // the first day starts clean: 20 + 10 sends
    }

    /// <summary>Resends, or starts anew once the verification is over, waiting as the limits say; returns the verification with the fresh code.</summary>
    private static async Task<string> AskForNewCodeAsync(Engine engine, VerificationOwner owner, string id)
    {
        for (var tries = 0; tries < 10; tries++)
        {
            var resent = await engine.Verifications.ResendAsync(owner, id, None);
            if (resent.Succeeded)
            {
                return id;
            }

            if (resent.Refusal!.RetryAfter is { } wait)
            {
                engine.Time.Advance(wait);
                continue;
            }

            var started = await engine.Verifications.StartAsync(owner, new StartRequest(Phone), None);
            if (started.Verification is { } verification)
            {
                return verification.Id;
            }

            engine.Time.Advance(started.Refusal!.RetryAfter!.Value);
        }

        throw new InvalidOperationException("No new code could be had.");
    }

    /// <summary>Wrong guesses until the engine stops comparing; returns how many were compared.</summary>
    private static async Task<int> GuessUntilRefusedAsync(Engine engine, VerificationOwner owner, string id)
    {
        var compared = 0;
        while (true)
        {
            var result = await engine.Verifications.CheckAsync(owner, id, await engine.WrongCodeAsync(id), None);
            if (result.Refusal!.Reason == Refusal.WrongCode)
            {
                compared++;
            }
            else
            {
                return compared;
            }
        }
    }
}
