using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Services;

/// <summary><c>otpgate services credentials</c> against the server <c>otpgate serve</c> runs, with an admin key.</summary>
public sealed class CredentialsCommandTests
{
    private const string AdminKey = "otpg_admin_test_7c1d9e3f";

    [Fact]
    public async Task Create_an_account_and_a_key_use_them_on_v2_list_and_revoke()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey);
        var admin = served.AdminEnvironment(AdminKey);

        var account = await Otpgate.RunAsync(admin, "services", "credentials", "create", "--service", "default", "--name", "web", "--json");
        Assert.True(account.ExitCode == 0, account + "\n" + served.Error);
        var accountSid = account.Json["sid"]!.GetValue<string>();
        var key = await Otpgate.RunAsync(admin, "services", "credentials", "create", "--account", accountSid);
        var listed = await Otpgate.RunAsync(admin, "services", "credentials", "list", "--service", "default");
        var keySid = System.Text.RegularExpressions.Regex.Match(key.Out, "SK[0-9a-f]{32}").Value;
        var secret = System.Text.RegularExpressions.Regex.Match(key.Out, @"Secret\s+([0-9a-f]{32})").Groups[1].Value;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{keySid}:{secret}")));
        var before = await http.GetAsync(new Uri(new Uri(served.Root), "/v2/Services"), TestContext.Current.CancellationToken);
        var revoked = await Otpgate.RunAsync(admin, "services", "credentials", "revoke", accountSid);
        var after = await http.GetAsync(new Uri(new Uri(served.Root), "/v2/Services"), TestContext.Current.CancellationToken);
        var both = await Otpgate.RunAsync(admin, "services", "credentials", "create", "--service", "default", "--admin");

        Assert.Matches("^[0-9a-f]{32}$", account.Json["authToken"]!.GetValue<string>());
        Assert.Contains($"API key issued for account {accountSid}", key.Out, StringComparison.Ordinal);
        Assert.Contains("shown only now", key.Out, StringComparison.Ordinal);
        Assert.Contains(accountSid, listed.Out, StringComparison.Ordinal);
        Assert.Contains(keySid, listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (before.StatusCode, after.StatusCode));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Contains("--service <id>, --admin or --account", Assert.Single(both.ErrorLines));
    }
}
