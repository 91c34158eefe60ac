using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Events;

/// <summary><c>otpgate events endpoints</c> against the server <c>otpgate serve</c> runs, with an admin key.</summary>
public sealed class EventsCommandTests
{
    private const string AdminKey = "otpg_admin_test_4b8e2a6c";

    [Fact]
    public async Task Add_list_show_rotate_enable_and_remove_an_endpoint()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage__DataDirectory"] = data.Path,
            ["Api__AdminKeys__ops"] = AdminKey,
        }, data.Path);
        var admin = new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root, ["OTPGATE_ADMIN_KEY"] = AdminKey };

        var added = await Otpgate.RunAsync(admin, "events", "endpoints", "add", "crm", "https://crm.example/hooks", "--types", "verification.approved, verification.failed");
        var listed = await Otpgate.RunAsync(admin, "events", "endpoints", "list");
        var shown = await Otpgate.RunAsync(admin, "events", "endpoints", "show", "crm", "--json");
        var rotated = await Otpgate.RunAsync(admin, "events", "endpoints", "rotate-secret", "crm", "--json");
        var enabled = await Otpgate.RunAsync(admin, "events", "endpoints", "enable", "crm");
        var removed = await Otpgate.RunAsync(admin, "events", "endpoints", "remove", "crm");
        var gone = await Otpgate.RunAsync(admin, "events", "endpoints", "show", "crm");
        var bad = await Otpgate.RunAsync(admin, "events", "endpoints", "add", "other", "ftp://x.example");
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
        Assert.Equal(ExitCodes.Usage, noKey.ExitCode);
        Assert.Contains("--admin-key or set OTPGATE_ADMIN_KEY", Assert.Single(noKey.ErrorLines));
    }
}
