using System.Text.RegularExpressions;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Seed;

/// <summary>Starts the standalone sandbox once for the seed-script tests.</summary>
public sealed class StandaloneFixture : IAsyncLifetime
{
    public StandaloneSandbox? Sandbox { get; private set; }

    public async ValueTask InitializeAsync()
    {
        // Without node the tests skip (or fail on CI) before using the process: do not start it for nothing.
        if (NodeJs.Find() is not null)
        {
            Sandbox = await StandaloneSandbox.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}

/// <summary>The seed page's Node.js example, unchanged but for its placeholders, against the standalone sandbox.</summary>
public sealed class SeedScriptTests(StandaloneFixture fixture) : IClassFixture<StandaloneFixture>
{
    private const string ButtonComponent = """
              {
                type: "button",
                sub_type: "url",
                index: "0",
                parameters: [{ type: "text", text: String(code) }],
              },

        """;

    private static string Script => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed", "send-registration-otp.js"));

    private string Configured(string phone, string code)
    {
        var values = new Dictionary<string, string>
        {
            ["CHANNEL_ID"] = "sandbox",
            ["API_TOKEN"] = "sandbox-token",
            ["TEMPLATE_NAME"] = "registration_otp",
            ["TEMPLATE_NAMESPACE"] = "otpgate_sandbox",
            ["TEMPLATE_LANGUAGE"] = "en",
            ["TEST_PHONE"] = phone,
            ["TEST_CODE"] = code,
        };
        var script = Script.Replace("\"https://api.1msg.io\"", $"\"{fixture.Sandbox!.BaseUrl}\"", StringComparison.Ordinal);
        foreach (var (name, value) in values)
        {
            script = Regex.Replace(script, $"const {name} = \"___\";", $"const {name} = \"{value}\";");
        }

        Assert.DoesNotMatch("const [A-Z_]+ = \"___\"", script);
        return script;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script)
    {
        var node = NodeJs.Find();
        if (node is null)
        {
            NodeJs.SkipOrFail();
        }

        var file = Path.Combine(Path.GetTempPath(), $"otpgate-seed-{Environment.ProcessId}-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, script, TestContext.Current.CancellationToken);
        try
        {
            return await NodeJs.RunAsync(node!, [file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Seed_script_is_kept_verbatim_with_its_placeholders()
    {
        var script = Script;
        Assert.StartsWith("#!/usr/bin/env node", script);
        Assert.EndsWith("module.exports = { sendTemplateMessage };\n", script.ReplaceLineEndings("\n"));
        Assert.Equal(7, Regex.Count(script, "const [A-Z_]+ = \"___\";"));
        Assert.Contains(ButtonComponent.ReplaceLineEndings("\n"), script.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Seed_script_sends_a_code_through_the_sandbox()
    {
        var (exitCode, output) = await RunAsync(Configured("+1 212 555 0100", "123456"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("Message sent to client.", output);
        Assert.Contains("\"sent\":true", output);
    }

    [Fact]
    public async Task Seed_script_without_the_button_component_is_not_sent()
    {
        var script = Configured("+1 212 555 0100", "123456").ReplaceLineEndings("\n").Replace(ButtonComponent.ReplaceLineEndings("\n"), "", StringComparison.Ordinal);

        var (exitCode, output) = await RunAsync(script);

        Assert.Equal(1, exitCode);
        Assert.Contains("\"sent\":false", output);
        Assert.Contains("Authentication templates require the code in the body and in the copy-code button parameter", output);
    }

    [Fact]
    public async Task Seed_script_without_the_namespace_gets_the_422_answer()
    {
        var script = Configured("+1 212 555 0100", "123456").Replace("    namespace: TEMPLATE_NAMESPACE,\n", "", StringComparison.Ordinal);

        var (exitCode, output) = await RunAsync(script);

        Assert.Equal(1, exitCode);
        Assert.Contains("{\"message\":\"namespace is not defined\"}", output);
    }
}
