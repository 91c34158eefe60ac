using OtpGate.Verification.Events;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Events.EventHarness;

namespace OtpGate.Verification.Tests.Events;

/// <summary>Signatures per Standard Webhooks: the specification's test vector, and every delivery verified by the independent package.</summary>
public sealed class SigningTests
{
    [Fact]
    public void A_signature_matches_the_specifications_test_vector()
    {
        var key = WebhookSecret.TryParseKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!;

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSecret.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""));
    }

    [Fact]
    public void The_READMEs_example_event_carries_the_signature_its_secret_gives()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "README.md")) || !File.Exists(Path.Combine(directory.FullName, "OtpGate.slnx")))
        {
            directory = directory.Parent!;
        }

        var readme = File.ReadAllText(Path.Combine(directory.FullName, "README.md"));
        string Header(string name) => System.Text.RegularExpressions.Regex.Match(readme, $@"\n{name}: (\S+)\n").Groups[1].Value;
        var body = System.Text.RegularExpressions.Regex.Match(readme, @"\n(\{""type"":""verification\.approved"".*\})\n").Groups[1].Value;

        Assert.Equal(Header("webhook-signature"), WebhookSecret.Sign(WebhookSecret.TryParseKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!,
            Header("webhook-id"), long.Parse(Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture), body));
        Assert.Contains("\"phone\":\"+12*******00\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_c2hvcnQ=")]
    [InlineData("whsec_not base64!")]
    public void A_secret_that_is_not_whsec_and_24_to_64_bytes_is_refused(string? secret) =>
        Assert.Null(WebhookSecret.TryParseKey(secret));

    [Fact]
    public async Task Every_event_reaches_the_receiver_with_a_signature_the_StandardWebhooks_package_verifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync();
        await engine.AddEndpointAsync("app", receiver);
        await engine.StartAndApproveAsync(2);

        await engine.EventDispatcher().DispatchDueAsync(None);

        var events = await engine.EventsAsync();
        Assert.Equal(events.Select(e => (e.EventId, e.Type, e.VerificationId, true, 200)),
            receiver.Received.Select(r => (r.Id, r.Type, r.VerificationId, r.Verified, r.Answer)).OrderBy(r => events.FindIndex(e => e.EventId == r.Id)));
        Assert.Equal(0, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state <> 'delivered'"));
    }

    [Fact]
    public async Task During_a_rotation_the_old_and_the_new_secret_both_sign_until_the_overlap_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await StartEngineAsync(new() { ["Events:RotationOverlap"] = "00:02:00" });
        await engine.AddEndpointAsync("app", receiver);
        var old = receiver.Secrets[0];
        var rotated = await engine.Endpoints().RotateSecretAsync("app", null, None);
        Assert.NotEqual(old, rotated.Secret);

        await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.EventDispatcher().DispatchDueAsync(None);
        receiver.Secrets = [rotated.Secret!];
        await engine.StartVerificationAsync("+1 212 555 0103");
        await engine.EventDispatcher().DispatchDueAsync(None);
        engine.Time.Advance(TimeSpan.FromMinutes(3));
        receiver.Secrets = [old];
        await engine.StartVerificationAsync("+1 212 555 0101");
        await engine.EventDispatcher().DispatchDueAsync(None);

        // While the overlap lasts, verified with the old secret alone and with the new one alone; after it, the old one no longer verifies.
        Assert.Equal([true, true, false], receiver.Received.Select(r => r.Verified));
        receiver.Secrets = [rotated.Secret!];
        await engine.StartVerificationAsync("+1 212 555 0102");
        await engine.EventDispatcher().DispatchDueAsync(None);
        Assert.True(receiver.Received[^1].Verified);
    }
}
