using System.Net.Http.Headers;
using System.Net.Http.Json;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Spend;

/// <summary><c>otpgate spend</c> against the server <c>otpgate serve</c> runs: today and this month, overall and per service, with the caps.</summary>
public sealed class SpendCommandTests
{
    private const string AdminKey = "otpg_admin_test_5b2e8a1c";
    private const string AppKey = "otpg_app_test_0123456789abcdef";

    [Fact]
    public async Task Spend_shows_each_service_and_all_of_them_against_their_caps()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey, new Dictionary<string, string?>
        {
            ["Api__Keys__app"] = AppKey,
            ["Spend__Prices__whatsapp__Default"] = "0.25",
            ["Spend__MonthlyCap"] = "100",
            ["Services__shop__Spend__DailyCap"] = "3",
        });
        using var http = new HttpClient { BaseAddress = new Uri(served.Root) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppKey);
        (await http.PostAsJsonAsync("/v1/verifications", new { phone = "+1 212 555 0142" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var admin = served.AdminEnvironment(AdminKey);

        var table = await Otpgate.RunAsync(admin, "spend");
        var json = await Otpgate.RunAsync(admin, "spend", "--json");
        var keyless = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root }, "spend");

        Assert.True(table.ExitCode == 0, table + "\n" + served.Error);
        Assert.Contains("Spend in USD, today ", table.Out, StringComparison.Ordinal);
        Assert.Matches(@"all services\s+0\.25\s+10\.00\s+0\.25\s+100\.00\s+1", table.Out);
        Assert.Matches(@"default\s+0\.25\s+none\s+0\.25\s+none\s+1", table.Out);
        Assert.Matches(@"shop\s+0\.00\s+3\.00\s+0\.00\s+none\s+0", table.Out);
        Assert.Equal(0.25m, json.Json["overall"]!["today"]!.GetValue<decimal>());
        Assert.Equal(ExitCodes.Usage, keyless.ExitCode);
        Assert.Contains("No admin key", Assert.Single(keyless.ErrorLines), StringComparison.Ordinal);
    }
}
