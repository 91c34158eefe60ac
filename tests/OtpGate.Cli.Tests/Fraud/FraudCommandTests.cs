using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Fraud;

/// <summary><c>otpgate fraud</c> against the server <c>otpgate serve</c> runs, with an admin key.</summary>
public sealed class FraudCommandTests
{
    private const string AdminKey = "otpg_admin_test_7c1d9e3f";

    [Fact]
    public async Task Block_allow_status_and_unblock_a_prefix_and_a_number()
    {
        using var data = new TempDirectory();
        // The embedded sandbox starts with the guard off; the lists work either way, and the status says which.
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey, new Dictionary<string, string?> { ["Fraud__Enabled"] = "true" });
        var admin = served.AdminEnvironment(AdminKey);

        var block = await Otpgate.RunAsync(admin, "fraud", "block", "--prefix", "+1 212 5");
        Assert.True(block.ExitCode == 0, block + "\n" + served.Error);
        var allow = await Otpgate.RunAsync(admin, "fraud", "allow", "--number", "+1 212 555 0100");
        var status = await Otpgate.RunAsync(admin, "fraud", "status");
        var json = await Otpgate.RunAsync(admin, "fraud", "status", "--json");
        var unblock = await Otpgate.RunAsync(admin, "fraud", "unblock", "--prefix", "+12125");
        var again = await Otpgate.RunAsync(admin, "fraud", "unblock", "--prefix", "+12125");
        var removed = await Otpgate.RunAsync(admin, "fraud", "allow", "--remove", "--number", "+1 212 555 0100");
        var after = await Otpgate.RunAsync(admin, "fraud", "status");

        Assert.Contains("+12125 is blocked until you unblock it.", block.Out, StringComparison.Ordinal);
        Assert.Contains("+12*******00 is on the safe list", allow.Out, StringComparison.Ordinal);
        Assert.Contains("Fraud guard: on.", status.Out, StringComparison.Ordinal);
        Assert.Matches(@"block\s+\+12125\s+by operator", status.Out);
        Assert.Matches(@"allow\s+\+12\*{7}00\s+by operator", status.Out);
        Assert.DoesNotContain("2125550100", status.Out + json.Out, StringComparison.Ordinal);
        Assert.Equal(2, json.Json["rules"]!.AsArray().Count);
        Assert.Equal((0, ExitCodes.Refused, 0), (unblock.ExitCode, again.ExitCode, removed.ExitCode));
        Assert.Contains("+12125 is not blocked.", Assert.Single(again.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("No rule in force.", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_without_a_target_or_with_a_bad_one_says_what_to_give()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey);
        var admin = served.AdminEnvironment(AdminKey);

        var none = await Otpgate.RunAsync(admin, "fraud", "block");
        var bad = await Otpgate.RunAsync(admin, "fraud", "block", "--number", "+1 212");

        Assert.Equal((ExitCodes.Usage, ExitCodes.Refused), (none.ExitCode, bad.ExitCode));
        Assert.Contains("Give one of --prefix <prefix> or --number <number>.", Assert.Single(none.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("too short", Assert.Single(bad.ErrorLines), StringComparison.Ordinal);
    }
}
