using OtpGate.Cli.Tests.Support;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Templates;
using OtpGate.Verification.Storage;

namespace OtpGate.Cli.Tests.Doctor;

public sealed class DoctorTests : IDisposable
{
    private const string WebhookBase = "https://otp.example.com";
    private const string Secret = "q8Xr2vKz0PbN4tYw7Ls1Hc9Gm3Jd6Fe5Ua0Ri8Oy2Te=";
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static Task<SandboxServer> StartGoodSandboxAsync(Action<SandboxOptions>? more = null) => TestSandbox.StartAsync(o =>
    {
        o.WebhookUrls.Add("https://inbox.1msg.example/hook");
        o.WebhookUrls.Add(WebhookBase + "/webhooks/1msg/Zk3pQ9rT2vX8wY4b");
        more?.Invoke(o);
    });

    private async Task<Dictionary<string, string?>> GoodEnvironmentAsync(SandboxServer sandbox)
    {
        using (var database = Database.ForSqlite(_data.Path))
        {
            await Migrator.MigrateAsync(database, TimeProvider.System, TestContext.Current.CancellationToken);
        }

        var environment = TestSandbox.Environment(sandbox);
        environment["OneMsg__WebhookBaseUrl"] = WebhookBase;
        environment["Storage__DataDirectory"] = _data.Path;
        environment["Security__Secret"] = Secret;
        return environment;
    }

    private static string Line(CliResult result, string title) =>
        result.Out.Split('\n').SingleOrDefault(l => l.Contains(title, StringComparison.Ordinal)) ?? throw new Xunit.Sdk.XunitException($"No line \"{title}\" in:\n{result}");

    [Fact]
    public async Task Doctor_passes_a_good_configuration_with_every_line_and_exit_0()
    {
        await using var sandbox = await StartGoodSandboxAsync();

        var result = await Otpgate.RunAsync(await GoodEnvironmentAsync(sandbox), "doctor");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] titles = ["Options valid", "Token accepted", "Channel connected", "Template approved, right shape", "Namespace matches",
            "Webhook registered", "Acknowledgements on", "Code expiry fits lifetime", "Message TTL fits lifetime",
            "Storage reachable and migrated", "Server secret present and strong"];
        Assert.All(titles, t => Assert.StartsWith("  PASS  " + t, Line(result, t)));
        Assert.Contains("Ready: 11 of 11 checks passed.", result.Out);
        Assert.DoesNotContain("fix:", result.Out);
        Assert.DoesNotContain(Secret, result.Out);
        Assert.DoesNotContain("Zk3pQ9rT2vX8wY4b", result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Doctor_json_lists_each_check_with_id_verdict_and_fix()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = await GoodEnvironmentAsync(sandbox);
        environment.Remove("OneMsg__Template__Namespace");

        var result = await Otpgate.RunAsync(environment, "doctor", "--json");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.False(result.Json["ok"]!.GetValue<bool>());
        Assert.Equal(2, result.Json["failed"]!.GetValue<int>());
        var checks = result.Json["checks"]!.AsArray();
        Assert.Equal(11, checks.Count);
        var ns = checks.Single(c => c!["id"]!.GetValue<string>() == "namespace")!;
        Assert.Equal("fail", ns["verdict"]!.GetValue<string>());
        Assert.Equal("Set OneMsg:Template:Namespace=otpgate_sandbox (as /templates lists it).", ns["fix"]!.GetValue<string>());
        Assert.Equal("fail", checks.Single(c => c!["id"]!.GetValue<string>() == "options")!["verdict"]!.GetValue<string>());
        Assert.All(checks.Where(c => c!["id"]!.GetValue<string>() is not ("namespace" or "options")), c => Assert.Equal("pass", c!["verdict"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Doctor_names_a_missing_namespace()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = await GoodEnvironmentAsync(sandbox);
        environment.Remove("OneMsg__Template__Namespace");

        var result = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.StartsWith("  FAIL  Namespace matches", Line(result, "Namespace matches"));
        Assert.Contains("OneMsg:Template:Namespace is not set", result.Out);
        Assert.Contains("fix: Set OneMsg:Template:Namespace=otpgate_sandbox", result.Out);
        // The server would not start without it either, and the options line says so in the server's words.
        Assert.Contains("OneMsg:Template:Namespace is empty", Line(result, "Options valid"));
        Assert.Contains("2 of 11 checks failed: Options valid, Namespace matches.", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Doctor_names_a_paused_template()
    {
        await using var sandbox = await StartGoodSandboxAsync(o =>
            o.Templates.Add(new SandboxTemplate { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "en", Status = "paused" }));

        var result = await Otpgate.RunAsync(await GoodEnvironmentAsync(sandbox), "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        var line = Line(result, "Template approved, right shape");
        Assert.StartsWith("  FAIL", line);
        Assert.Contains("PAUSED, not APPROVED", line);
        Assert.Contains("fix: Meta paused it", result.Out);
        Assert.StartsWith("  PASS", Line(result, "Namespace matches"));
    }

    [Fact]
    public async Task Doctor_names_a_wrong_token_and_skips_what_needs_it_without_printing_the_token()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = await GoodEnvironmentAsync(sandbox);
        const string WrongToken = "eyJhbGciOiJIUzI1NiJ9.wrong-token-zz91";
        environment["OneMsg__Token"] = WrongToken;

        var result = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.StartsWith("  FAIL  Token accepted", Line(result, "Token accepted"));
        Assert.Contains("HTTP 401", Line(result, "Token accepted"));
        Assert.StartsWith("  SKIP", Line(result, "Channel connected"));
        Assert.StartsWith("  SKIP", Line(result, "Webhook registered"));
        Assert.Contains($"token eyJh… ({WrongToken.Length} characters)", Line(result, "Options valid"));
        Assert.DoesNotContain("wrong-token-zz91", result.Out + result.Error);
    }

    [Fact]
    public async Task Doctor_names_a_missing_webhook()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.WebhookUrls.Add("https://inbox.1msg.example/hook"));

        var result = await Otpgate.RunAsync(await GoodEnvironmentAsync(sandbox), "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        var line = Line(result, "Webhook registered");
        Assert.StartsWith("  FAIL", line);
        Assert.Contains("No webhook URL starting with https://otp.example.com/webhooks/1msg/ is registered", line);
        Assert.Contains("fix: Start the server with OneMsg:RegisterWebhook=true", result.Out);
    }

    [Fact]
    public async Task Doctor_names_acknowledgements_that_are_off()
    {
        await using var sandbox = await StartGoodSandboxAsync(o => o.AckNotificationsOn = false);

        var result = await Otpgate.RunAsync(await GoodEnvironmentAsync(sandbox), "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.StartsWith("  FAIL", Line(result, "Acknowledgements on"));
        Assert.Contains("fix: otpgate settings set ackNotificationsOn=true", result.Out);
    }

    [Fact]
    public async Task Doctor_fails_a_code_lifetime_shorter_than_the_expiry_the_template_announces()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = await GoodEnvironmentAsync(sandbox);
        environment["Verification__CodeLifetime"] = "00:05:00";

        var result = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        var line = Line(result, "Code expiry fits lifetime");
        Assert.StartsWith("  FAIL", line);
        Assert.Contains("expires in 10 minutes, but Verification:CodeLifetime is 5 minutes", line);
        Assert.Contains("300 s", Line(result, "Message TTL fits lifetime"));
    }

    [Fact]
    public async Task Doctor_names_an_unreachable_postgres_database_without_printing_its_password()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = await GoodEnvironmentAsync(sandbox);
        environment["Storage__Provider"] = "postgres";
        // Nothing listens on port 9: the check must fail fast and say what to fix.
        environment["Storage__ConnectionString"] = "Host=127.0.0.1;Port=9;Database=otpgate;Username=otpgate;Password=s3cret-pw;Timeout=3";

        var result = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("  FAIL  Storage reachable and migrated", Line(result, "Storage reachable and migrated"));
        Assert.Contains("Storage:ConnectionString", result.Out);
        Assert.DoesNotContain("s3cret-pw", result.ToString());
    }

    [Fact]
    public async Task Doctor_before_the_first_server_start_warns_about_storage_and_secret_but_passes()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = TestSandbox.Environment(sandbox);
        environment["OneMsg__WebhookBaseUrl"] = WebhookBase;
        environment["Storage__DataDirectory"] = Path.Combine(_data.Path, "not-yet");

        var result = await Otpgate.RunAsync(environment, "doctor");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("  WARN", Line(result, "Storage reachable and migrated"));
        Assert.Contains("does not exist yet", Line(result, "Storage reachable and migrated"));
        Assert.StartsWith("  WARN", Line(result, "Server secret present and strong"));
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "not-yet")), "The doctor must not create the database.");
        Assert.Contains("Ready: 9 of 11 checks passed, 2 warnings.", result.Out);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Doctor_fails_a_short_secret_and_a_generated_secret_others_can_read()
    {
        await using var sandbox = await StartGoodSandboxAsync();
        var environment = await GoodEnvironmentAsync(sandbox);
        environment["Security__Secret"] = "too-short-secret";

        var shortSecret = await Otpgate.RunAsync(environment, "doctor");
        environment.Remove("Security__Secret");
        var file = Path.Combine(_data.Path, "secret.key");
        await File.WriteAllTextAsync(file, Secret, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var readable = await Otpgate.RunAsync(environment, "doctor");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var ownerOnly = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(ExitCodes.Refused, shortSecret.ExitCode);
        Assert.Contains("Security:Secret has 16 characters", Line(shortSecret, "Server secret"));
        Assert.DoesNotContain("too-short-secret", shortSecret.Out);
        Assert.Equal(ExitCodes.Refused, readable.ExitCode);
        Assert.Contains("can be read by other users (mode 604)", Line(readable, "Server secret"));
        Assert.Contains($"fix: chmod 600 {file}", readable.Out);
        Assert.True(ownerOnly.ExitCode == 0, ownerOnly.ToString());
        Assert.Contains("owner-only", Line(ownerOnly, "Server secret"));
    }

    [Fact]
    public async Task Doctor_with_only_a_token_names_the_channel_id_and_the_template_keys_and_skips_the_channel()
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path, ["OneMsg__Token"] = "t0k3n-only" };

        var result = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        var line = Line(result, "Options valid");
        Assert.StartsWith("  FAIL", line);
        Assert.Contains("OneMsg:ChannelId is empty", line);
        Assert.Contains("OneMsg:Template:Name is empty", line);
        Assert.Contains("OneMsg:Template:Namespace is empty", line);
        Assert.Contains("OneMsg:Template:Language is empty", line);
        Assert.StartsWith("  SKIP", Line(result, "Token accepted"));
    }
}
