using System.Net.Http.Headers;
using System.Net.Http.Json;
using OtpGate.Cli.Tests.Support;
using OtpGate.Verification.Events;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Cli.Tests.Events;

/// <summary><c>otpgate events endpoints</c> against the server <c>otpgate serve</c> runs, with an admin key.</summary>
public sealed class EventsCommandTests
{
    private const string AdminKey = "otpg_admin_test_4b8e2a6c";
    private const string ApiKey = "otpg_app_test_0123456789abcdef";

    [Fact]
    public async Task Add_list_show_rotate_enable_and_remove_an_endpoint_and_list_attempts_and_replay_events()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey);
        var admin = served.AdminEnvironment(AdminKey);

        var added = await Otpgate.RunAsync(admin, "events", "endpoints", "add", "crm", "https://crm.example/hooks", "--types", "verification.approved, verification.failed");
        var listed = await Otpgate.RunAsync(admin, "events", "endpoints", "list");
        var shown = await Otpgate.RunAsync(admin, "events", "endpoints", "show", "crm", "--json");
        var rotated = await Otpgate.RunAsync(admin, "events", "endpoints", "rotate-secret", "crm", "--json");
        var enabled = await Otpgate.RunAsync(admin, "events", "endpoints", "enable", "crm");
        var removed = await Otpgate.RunAsync(admin, "events", "endpoints", "remove", "crm");
        var gone = await Otpgate.RunAsync(admin, "events", "endpoints", "show", "crm");
        var bad = await Otpgate.RunAsync(admin, "events", "endpoints", "add", "other", "ftp://x.example");
        var events = await Otpgate.RunAsync(admin, "events", "list", "--json");
        var attempts = await Otpgate.RunAsync(admin, "events", "attempts", "--event", "msg_unknown");
        var replayed = await Otpgate.RunAsync(admin, "events", "replay", "--since", "2026-01-01T00:00:00Z");
        var replayNeither = await Otpgate.RunAsync(admin, "events", "replay");
        var replayBadTime = await Otpgate.RunAsync(admin, "events", "replay", "--since", "yesterday-ish");
        var noKey = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root }, "events", "endpoints", "list");

        Assert.True(added.ExitCode == 0, added + "\n" + served.Error);
        Assert.Contains("  crm  https://crm.example/hooks  (every service; verification.approved,verification.failed; enabled; api)", added.Out, StringComparison.Ordinal);
        var secretLine = added.Out.Split('\n').Single(l => l.Contains("secret: whsec_", StringComparison.Ordinal));
        var secret = secretLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Contains("  crm  https://crm.example/hooks", listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", listed.Out, StringComparison.Ordinal);
        Assert.Null(shown.Json["secret"]);
        Assert.StartsWith("whsec_", rotated.Json["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(secret, rotated.Json["secret"]!.GetValue<string>());
        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(ExitCodes.Refused, gone.ExitCode);
        Assert.Contains("404", Assert.Single(gone.ErrorLines));
        Assert.Equal(ExitCodes.Refused, bad.ExitCode);
        Assert.Contains("400 invalid_request", Assert.Single(bad.ErrorLines));
        Assert.True(events.ExitCode == 0, events.ToString());
        Assert.True(attempts.ExitCode == 0 && attempts.Out.StartsWith("Attempts:", StringComparison.Ordinal), attempts.ToString());
        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        Assert.Contains("  0 deliveries queued again", replayed.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, replayNeither.ExitCode);
        Assert.Contains("webhook-id or --since", Assert.Single(replayNeither.ErrorLines));
        Assert.Equal(ExitCodes.Usage, replayBadTime.ExitCode);
        Assert.Equal(ExitCodes.Usage, noKey.ExitCode);
        Assert.Contains("--admin-key or set OTPGATE_ADMIN_KEY", Assert.Single(noKey.ErrorLines));
    }

    [Fact]
    public async Task Listen_forwards_the_servers_events_to_a_local_receiver_signed_with_its_development_secret()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey, new Dictionary<string, string?> { ["Api__Keys__app"] = ApiKey });
        var secret = WebhookSecret.Generate();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var admin = served.AdminEnvironment(AdminKey);
        using var api = new HttpClient { BaseAddress = new Uri(served.Root) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        var listening = Otpgate.RunAsync(admin, "events", "listen", "--forward-to", receiver.Url.ToString(), "--secret", secret, "--count", "1");
        // Events raised before the stream is open are not forwarded: start until one is (a guard of 100 starts, not a timing).
        for (var start = 0; start < 100 && !listening.IsCompleted; start++)
        {
            var started = await api.PostAsJsonAsync("/v1/verifications", new { phone = $"+1 212 555 {start:0000}" }, TestContext.Current.CancellationToken);
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            await Task.WhenAny(listening, Task.Delay(100, TestContext.Current.CancellationToken));
        }

        var listened = await listening;
        Assert.True(listened.ExitCode == 0, listened + "\n" + served.Error);
        Assert.Contains($"signed with {secret}", listened.Out, StringComparison.Ordinal);
        Assert.Contains("  verification.started msg_", listened.Out, StringComparison.Ordinal);
        Assert.Contains(" -> 200", listened.Out, StringComparison.Ordinal);
        var forwarded = Assert.Single(receiver.Received);
        Assert.True(forwarded.Verified);
    }
}
