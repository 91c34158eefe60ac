using OtpGate.Cli.Services;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Services;

/// <summary><c>otpgate services</c> against the server <c>otpgate serve</c> runs, with an admin key.</summary>
public sealed class ServicesCommandTests
{
    private const string AdminKey = "otpg_admin_test_4b8e2a6c";

    [Fact]
    public async Task Create_show_update_list_and_delete_a_service()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartWithAdminKeyAsync(data.Path, AdminKey);
        var admin = served.AdminEnvironment(AdminKey);

        var created = await Otpgate.RunAsync(admin, "services", "create", "shop", "--name", "Shop", "--set", "codeLength=8", "--set", "deniedCountries=GB,DE", "--json");
        var updated = await Otpgate.RunAsync(admin, "services", "update", "shop", "--set", "templates.pt_BR=shop_code_pt", "--json");
        var shown = await Otpgate.RunAsync(admin, "services", "show", "shop");
        var listed = await Otpgate.RunAsync(admin, "services", "list");
        var deleted = await Otpgate.RunAsync(admin, "services", "delete", "shop");
        var gone = await Otpgate.RunAsync(admin, "services", "show", "shop");
        var bad = await Otpgate.RunAsync(admin, "services", "create", "other", "--set", "codeLength=3");
        var configured = await Otpgate.RunAsync(admin, "services", "update", "default", "--set", "codeLength=8");
        var noKey = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root }, "services", "list");

        Assert.True(created.ExitCode == 0, created + "\n" + served.Error);
        Assert.Equal(8, created.Json["settings"]!["codeLength"]!.GetValue<int>());
        Assert.Equal("[\"GB\",\"DE\"]", created.Json["settings"]!["deniedCountries"]!.ToJsonString());
        Assert.Equal("shop_code_pt", updated.Json["settings"]!["templates"]!["pt_BR"]!.GetValue<string>());
        Assert.Equal(8, updated.Json["settings"]!["codeLength"]!.GetValue<int>());
        Assert.Contains("codeLength", shown.Out, StringComparison.Ordinal);
        Assert.Contains("  default  VA", listed.Out, StringComparison.Ordinal);
        Assert.Contains("  shop  VA", listed.Out, StringComparison.Ordinal);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(ExitCodes.Refused, gone.ExitCode);
        Assert.Contains("404", Assert.Single(gone.ErrorLines));
        Assert.Equal(ExitCodes.Refused, bad.ExitCode);
        Assert.Contains("400 invalid_request: --set codeLength is 3; it must be between 4 and 10 digits", Assert.Single(bad.ErrorLines));
        Assert.Equal(ExitCodes.Refused, configured.ExitCode);
        Assert.Contains("409 service_is_configured: Service default is declared in the configuration; change Verification:CodeLength there and restart",
            Assert.Single(configured.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, noKey.ExitCode);
        Assert.Contains("--admin-key or set OTPGATE_ADMIN_KEY", Assert.Single(noKey.ErrorLines));
    }

    [Fact]
    public void Set_values_become_numbers_lists_maps_and_text()
    {
        var settings = ServicesCommand.Settings(["codeLength=8", "allowedCountries=BR, PT", "testNumbers.+12125550199=123456", "codeLifetime=00:05:00"]);

        Assert.Equal("""{"codeLength":8,"allowedCountries":["BR","PT"],"testNumbers":{"\u002B12125550199":"123456"},"codeLifetime":"00:05:00"}""", settings.ToJsonString());
        Assert.Throws<CliException>(() => ServicesCommand.Settings(["codeLength"]));
    }

    [Fact]
    public void Set_values_reach_into_the_sms_group_with_true_and_false_as_booleans()
    {
        var settings = ServicesCommand.Settings(["sms.fallback=false", "sms.texts.pt={code} é o seu código", "customCodeEnabled=true", "sms.deliveryDeadline=00:00:20"]);

        Assert.Equal("""{"sms":{"fallback":false,"texts":{"pt":"{code} \u00E9 o seu c\u00F3digo"},"deliveryDeadline":"00:00:20"},"customCodeEnabled":true}""", settings.ToJsonString());
    }
}
