using OtpGate.Cli.Tests.Support;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Cli.Tests.Channel;

public sealed class TemplatesTests
{
    private static Task<OtpGate.Sandbox.SandboxServer> StartWithTemplatesAsync() => TestSandbox.StartAsync(o =>
    {
        o.Templates.Add(new SandboxTemplate { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "fr", Status = "paused" });
        o.Templates.Add(new SandboxTemplate { Name = "two_variables", Namespace = "otpgate_sandbox", Language = "en", BodyText = "{{1}} is your code for {{2}}." });
        o.Templates.Add(new SandboxTemplate { Name = "order_update", Namespace = "otpgate_sandbox", Language = "en", Category = "UTILITY", BodyText = "Order {{1}} shipped.", FooterText = null, Buttons = [] });
    });

    [Fact]
    public async Task Templates_lists_authentication_templates_and_marks_which_fit_otpgate()
    {
        await using var sandbox = await StartWithTemplatesAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "templates");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.Matches(@"^NAME\s+LANGUAGE\s+NAMESPACE\s+CATEGORY\s+STATUS\s+OTPGATE$", lines[0]);
        Assert.Matches(@"^registration_otp\s+en\s+otpgate_sandbox\s+AUTHENTICATION\s+approved\s+fits$", lines[1]);
        Assert.Matches(@"^registration_otp\s+fr\s+otpgate_sandbox\s+AUTHENTICATION\s+paused\s+no$", lines[2]);
        Assert.Matches(@"^two_variables\s+en\s+.*\s+no$", lines[3]);
        Assert.DoesNotContain("order_update", result.Out);
        // Columns line up: every row starts its LANGUAGE column where the header does.
        var column = lines[0].IndexOf("LANGUAGE", StringComparison.Ordinal);
        Assert.All(lines[1..4], l => Assert.NotEqual(' ', l[column]));
        Assert.Contains("PAUSED, not APPROVED", result.Out);
        Assert.Contains("2 body variables", result.Out);
        Assert.DoesNotContain("\u001b[", result.Out);
    }

    [Fact]
    public async Task Templates_all_with_json_includes_other_categories_with_fit_left_null()
    {
        await using var sandbox = await StartWithTemplatesAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "templates", "--all", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var templates = result.Json["templates"]!.AsArray();
        Assert.Equal(4, templates.Count);
        var approved = templates[0]!;
        Assert.Equal("registration_otp", approved["name"]!.GetValue<string>());
        Assert.Equal("en", approved["language"]!.GetValue<string>());
        Assert.Equal("otpgate_sandbox", approved["namespace"]!.GetValue<string>());
        Assert.Equal("AUTHENTICATION", approved["category"]!.GetValue<string>());
        Assert.Equal("APPROVED", approved["status"]!.GetValue<string>());
        Assert.True(approved["fitsOtpGate"]!.GetValue<bool>());
        Assert.Equal(10, approved["codeExpiryMinutes"]!.GetValue<int>());
        Assert.False(templates[1]!["fitsOtpGate"]!.GetValue<bool>());
        Assert.Contains("PAUSED", templates[1]!["problem"]!.GetValue<string>());
        var utility = templates.Single(t => t!["name"]!.GetValue<string>() == "order_update")!;
        Assert.Null(utility["fitsOtpGate"]);
    }

    [Fact]
    public async Task Templates_in_colour_on_a_terminal_and_plain_with_NO_COLOR()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);

        var coloured = await Otpgate.RunAsync(environment, terminal: true, "templates");
        environment["NO_COLOR"] = "1";
        var plain = await Otpgate.RunAsync(environment, terminal: true, "templates");

        Assert.Contains("\u001b[32mfits\u001b[0m", coloured.Out);
        Assert.DoesNotContain("\u001b[", plain.Out);
        Assert.Contains("fits", plain.Out);
    }
}
