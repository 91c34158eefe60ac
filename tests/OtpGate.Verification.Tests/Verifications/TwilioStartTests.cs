using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Services;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Verifications;

/// <summary>
/// What the engine does for the Twilio-compatible surface: custom codes, a repeat start that says when the send limits
/// or its cooldown held back its resend, approval without a code, the verification a check by phone acts on, services found by sid.
/// </summary>
public sealed class TwilioStartTests
{
    private static CancellationToken None => CancellationToken.None;

    private static readonly VerificationOwner Twilio = new("twilio", "shop");

    private static async Task<Engine> WithShopAsync(ServiceSettings settings)
    {
        var engine = await Engine.StartAsync();
        Assert.NotNull(await engine.Services.GetRequiredService<ServiceCatalog>().CreateAsync("shop", "Shop", settings, None));
        return engine;
    }

    [Fact]
    public async Task A_custom_code_is_the_code_sent_where_the_service_takes_custom_codes_of_its_length()
    {
        await using var engine = await WithShopAsync(new ServiceSettings { CustomCodeEnabled = true });

        var started = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100", CustomCode: "424242"), None);
        var shortCode = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0101", CustomCode: "4242"), None);
        var notAllowed = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0102", CustomCode: "424242"), None);

        Assert.Equal("424242", await engine.ReadCodeAsync(started.Verification!.Id));
        Assert.Equal((Refusal.InvalidRequest, "A custom code must be 6 digits, the service's code length."), (shortCode.Refusal!.Reason, shortCode.Refusal.Message));
        Assert.Equal((Refusal.InvalidRequest, "This service does not take custom codes."), (notAllowed.Refusal!.Reason, notAllowed.Refusal.Message));
    }

    [Fact]
    public async Task A_repeat_start_that_asks_gets_the_send_limits_refusal_instead_of_the_pending_verification()
    {
        await using var engine = await WithShopAsync(new ServiceSettings { ResendCooldown = TimeSpan.Zero });
        var first = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100", RefuseUnsentRepeat: true), None);
        for (var i = 0; i < 4; i++)
        {
            var repeat = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100", RefuseUnsentRepeat: true), None);
            Assert.Equal(first.Verification!.Id, repeat.Verification!.Id);
        }

        var refused = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100", RefuseUnsentRepeat: true), None);
        var quiet = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100"), None);

        Assert.Equal((Refusal.RateLimited, LimitNames.VerificationSends), (refused.Refusal!.Reason, refused.Refusal.Limit));
        Assert.NotNull(refused.Refusal.RetryAfter);
        Assert.Equal((first.Verification!.Id, 5), (quiet.Verification!.Id, quiet.Verification.Sends.Count));
    }

    [Fact]
    public async Task A_repeat_start_in_its_cooldown_that_asks_is_refused_with_the_wait_and_nothing_sent()
    {
        await using var engine = await WithShopAsync(new ServiceSettings());
        var first = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100", RefuseUnsentRepeat: true), None);

        var refused = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100", RefuseUnsentRepeat: true), None);
        var quiet = await engine.Verifications.StartAsync(Twilio, new StartRequest("+1 212 555 0100"), None);

        Assert.Equal((Refusal.Cooldown, TimeSpan.FromSeconds(30)), (refused.Refusal!.Reason, refused.Refusal.RetryAfter));
        Assert.Null(quiet.Refusal);
        Assert.Equal((first.Verification!.Id, 1), (quiet.Verification!.Id, quiet.Verification.Sends.Count));
    }

    [Fact]
    public async Task Approving_without_a_code_ends_the_pending_verification_approved_once()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();

        var approved = await engine.Verifications.ApproveWithoutCodeAsync(Engine.Owner, id, None);
        var again = await engine.Verifications.ApproveWithoutCodeAsync(Engine.Owner, id, None);
        var stranger = await engine.Verifications.ApproveWithoutCodeAsync(VerificationOwner.ApiKey("other"), await engine.StartVerificationAsync("+1 212 555 0101"), None);

        Assert.Equal(VerificationStatus.Approved, approved.Verification!.Status);
        Assert.Null(await engine.ScalarAsync<byte[]?>("SELECT code_cipher FROM verifications WHERE id = @id", new { id }));
        Assert.Equal(Refusal.AlreadyApproved, again.Refusal!.Reason);
        Assert.Equal(Refusal.NotFound, stranger.Refusal!.Reason);
    }

    [Fact]
    public async Task The_pending_verification_is_found_by_phone_for_its_owner_only()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync("+1 212 555 0100");

        Assert.Equal(id, await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None));
        Assert.Null(await engine.Verifications.FindIdToCheckAsync(VerificationOwner.ApiKey("other"), "+12125550100", None));
        Assert.Null(await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550101", None));
        Assert.Null(await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "not a phone", None));
        await engine.Verifications.CancelAsync(Engine.Owner, id, None);
        Assert.Null(await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None));
    }

    [Fact]
    public async Task A_check_by_phone_finds_the_latest_verification_out_of_attempts_until_its_code_would_have_expired()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        var wrong = await engine.WrongCodeAsync(id);
        for (var i = 0; i < 5; i++)
        {
            await engine.Verifications.CheckAsync(Engine.Owner, id, wrong, None);
        }

        var found = await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None);
        var stranger = await engine.Verifications.FindIdToCheckAsync(VerificationOwner.ApiKey("other"), "+12125550100", None);
        var lastMoment = engine.Time.GetUtcNow().AddMinutes(10).AddMilliseconds(-1);
        engine.Time.SetUtcNow(lastMoment);
        var stillFound = await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None);
        engine.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal((id, id, null), (found, stillFound, stranger));
        Assert.Equal(Refusal.MaxAttemptsReached, (await engine.Verifications.CheckAsync(Engine.Owner, found!, wrong, None)).Refusal!.Reason);
        Assert.Null(await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None));
    }

    [Fact]
    public async Task A_later_verification_for_the_phone_hides_the_one_out_of_attempts()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        var wrong = await engine.WrongCodeAsync(id);
        for (var i = 0; i < 5; i++)
        {
            await engine.Verifications.CheckAsync(Engine.Owner, id, wrong, None);
        }

        engine.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await engine.StartVerificationAsync("+1 212 555 0100");
        var pendingFound = await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None);
        await engine.Verifications.CancelAsync(Engine.Owner, later, None);

        Assert.Equal(later, pendingFound);
        Assert.Null(await engine.Verifications.FindIdToCheckAsync(Engine.Owner, "+12125550100", None));
    }

    [Fact]
    public async Task A_service_is_found_by_its_sid()
    {
        await using var engine = await WithShopAsync(new ServiceSettings { CustomCodeEnabled = true });
        var catalog = engine.Services.GetRequiredService<ServiceCatalog>();
        var shop = (await catalog.FindAsync("shop", None))!;

        var found = await catalog.FindBySidAsync(shop.Sid, None);

        Assert.Equal(("shop", true), (found!.Id, found.Settings.CustomCodeEnabled));
        Assert.Null(await catalog.FindBySidAsync("VA" + new string('0', 32), None));
    }
}
