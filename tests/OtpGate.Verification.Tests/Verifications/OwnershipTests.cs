using OtpGate.Verification.Contract;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Verifications;

/// <summary>A verification belongs to whoever started it; to anyone else it does not exist.</summary>
public sealed class OwnershipTests
{
    private static readonly VerificationOwner Alice = VerificationOwner.ApiKey("t");
    private static readonly VerificationOwner Mallory = VerificationOwner.ApiKey("u");
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Another_owner_gets_not_found_for_every_operation_and_changes_nothing()
    {
        await using var engine = await Engine.StartAsync();
        var started = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100", ClientRef: "alice-signup"), None);
        var id = started.Verification!.Id;
        var code = await engine.ReadCodeAsync(id);

        Assert.Null(await engine.Verifications.GetAsync(Mallory, id, None));
        foreach (var result in new[]
        {
            await engine.Verifications.CheckAsync(Mallory, id, code, None),
            await engine.Verifications.ResendAsync(Mallory, id, None),
            await engine.Verifications.CancelAsync(Mallory, id, None),
        })
        {
            Assert.Equal(Refusal.NotFound, result.Refusal!.Reason);
            Assert.Equal("No verification has this id.", result.Refusal.Message);
            Assert.Null(result.Verification);
        }

        // Exactly what an id that was never issued gets.
        var unknown = await engine.Verifications.CheckAsync(Mallory, "vf_never_issued", code, None);
        Assert.Equal(unknown.Refusal, (await engine.Verifications.CheckAsync(Mallory, id, code, None)).Refusal);

        var mine = await engine.Verifications.GetAsync(Alice, id, None);
        Assert.Equal(VerificationStatus.Pending, mine!.Status);
        Assert.Equal(5, mine.AttemptsLeft);
        Assert.Equal(1, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE verification_id = @id", new { id }));
        Assert.True((await engine.Verifications.CheckAsync(Alice, id, code, None)).Succeeded);
    }

    [Fact]
    public async Task A_start_for_a_phone_another_owner_has_pending_gets_its_own_verification_and_learns_nothing()
    {
        await using var engine = await Engine.StartAsync();
        var alice = await engine.Verifications.StartAsync(Alice,
            new StartRequest("+1 212 555 0100", ClientRef: "alice-ref", Metadata: new Dictionary<string, string> { ["plan"] = "gold" }), None);

        var mallory = await engine.Verifications.StartAsync(Mallory, new StartRequest("+1 212 555 0100"), None);

        Assert.True(mallory.Created);
        Assert.NotEqual(alice.Verification!.Id, mallory.Verification!.Id);
        Assert.Null(mallory.Verification.ClientRef);
        Assert.Null(mallory.Verification.Metadata);
        Assert.Equal(5, mallory.Verification.AttemptsLeft);

        // Each code approves only its own verification.
        var aliceCode = await engine.ReadCodeAsync(alice.Verification.Id);
        var malloryCode = await engine.ReadCodeAsync(mallory.Verification.Id);
        Assert.SkipWhen(aliceCode == malloryCode, "The two random codes happen to be equal.");
        Assert.Equal(Refusal.WrongCode, (await engine.Verifications.CheckAsync(Mallory, mallory.Verification.Id, aliceCode, None)).Refusal!.Reason);
        Assert.True((await engine.Verifications.CheckAsync(Alice, alice.Verification.Id, aliceCode, None)).Succeeded);
        Assert.Equal(VerificationStatus.Pending, (await engine.Verifications.GetAsync(Mallory, mallory.Verification.Id, None))!.Status);
    }

    [Fact]
    public async Task A_pending_verification_is_reused_only_for_its_own_owner()
    {
        await using var engine = await Engine.StartAsync();
        var first = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100"), None);
        var other = await engine.Verifications.StartAsync(Mallory, new StartRequest("+1 212 555 0100"), None);

        var again = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100"), None);

        Assert.False(again.Created);
        Assert.Equal(first.Verification!.Id, again.Verification!.Id);
        Assert.NotEqual(other.Verification!.Id, again.Verification.Id);
    }

    [Fact]
    public async Task An_idempotency_key_belongs_to_the_owner_that_sent_it()
    {
        await using var engine = await Engine.StartAsync();
        var alice = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100", IdempotencyKey: "order-42"), None);

        // The same key value from another owner, with another phone: a new verification, sent, revealing nothing of Alice's.
        var mallory = await engine.Verifications.StartAsync(Mallory, new StartRequest("+1 212 555 0111", IdempotencyKey: "order-42"), None);

        Assert.True(mallory.Created);
        Assert.NotEqual(alice.Verification!.Id, mallory.Verification!.Id);
        Assert.Equal("12125550111", mallory.Verification.Phone);
        Assert.Equal(1, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE verification_id = @id", new { id = mallory.Verification.Id }));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_request_is_refused_and_sends_nothing()
    {
        await using var engine = await Engine.StartAsync();
        var first = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100", IdempotencyKey: "order-42"), None);

        var otherPhone = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0111", IdempotencyKey: "order-42"), None);
        var otherRef = await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100", ClientRef: "x", IdempotencyKey: "order-42"), None);
        var sameRequestTypedAnotherWay = await engine.Verifications.StartAsync(Alice, new StartRequest("+12125550100", IdempotencyKey: "order-42"), None);

        Assert.Equal(Refusal.IdempotencyKeyReused, otherPhone.Refusal!.Reason);
        Assert.Null(otherPhone.Verification);
        Assert.Equal(Refusal.IdempotencyKeyReused, otherRef.Refusal!.Reason);
        Assert.Equal(first.Verification!.Id, sameRequestTypedAnotherWay.Verification!.Id);
        Assert.Equal(1, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends"));
        Assert.Equal(1, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications"));
    }

    [Fact]
    public async Task An_idempotency_key_is_kept_only_as_a_digest()
    {
        await using var engine = await Engine.StartAsync();
        await engine.Verifications.StartAsync(Alice, new StartRequest("+1 212 555 0100", IdempotencyKey: "order-4242-secret"), None);

        Assert.Equal(0, await engine.ScalarAsync<long>(
            "SELECT COUNT(*) FROM idempotency_keys WHERE key_hash LIKE '%order%' OR request_hash LIKE '%order%' OR owner LIKE '%order%'"));
        Assert.Equal(1, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE owner = 'key:t'"));
    }
}
