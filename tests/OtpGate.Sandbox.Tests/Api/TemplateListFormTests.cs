using OtpGate.Sandbox.Templates;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Api;

/// <summary><c>GET templates</c> with <c>Sandbox:TemplateListForm=Raw</c>: the forms real channels answer with.</summary>
public sealed class TemplateListFormTests
{
    /// <summary>Two more templates beside the default one, all three in the default's namespace.</summary>
    internal static void ThreeSiblings(SandboxOptions o)
    {
        o.TemplateListForm = TemplateListForm.Raw;
        o.Templates.Add(new SandboxTemplate { Name = "login_otp", Namespace = "otpgate_sandbox", Language = "en_US" });
        o.Templates.Add(new SandboxTemplate { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "es" });
    }

    [Fact]
    public async Task Raw_lists_mix_every_form_real_channels_use()
    {
        await using var sandbox = await TestSandbox.StartAsync(ThreeSiblings);

        var templates = (await sandbox.Api.GetAsync("templates")).Json["templates"]!.AsArray();

        // The forms 1MSG's own n8n node reads from real lists: language as {code}, components as a JSON string, the
        // namespace under message_template_namespace or messageTemplateNamespace, or missing when siblings share one.
        var first = templates[0]!;
        Assert.Null(first["namespace"]);
        Assert.Null(first["message_template_namespace"]);
        Assert.Equal("en", first["language"]!["code"]!.GetValue<string>());
        Assert.Contains("\"BODY\"", first["components"]!.GetValue<string>(), StringComparison.Ordinal);
        var second = templates[1]!;
        Assert.Equal("otpgate_sandbox", second["messageTemplateNamespace"]!.GetValue<string>());
        Assert.Equal("en_US", second["language"]!.GetValue<string>());
        Assert.Equal("BODY", second["components"]![0]!["type"]!.GetValue<string>());
        var third = templates[2]!;
        Assert.Equal("otpgate_sandbox", third["message_template_namespace"]!.GetValue<string>());
        Assert.Equal("es", third["language"]!["code"]!.GetValue<string>());
        Assert.All(templates, t => Assert.Null(t!["namespace"]));
    }

    [Fact]
    public async Task A_lone_template_keeps_its_namespace_in_the_raw_form()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.TemplateListForm = TemplateListForm.Raw);

        var only = Assert.Single((await sandbox.Api.GetAsync("templates")).Json["templates"]!.AsArray())!;

        Assert.Equal("otpgate_sandbox", only["message_template_namespace"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_clean_form_is_the_default()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var only = Assert.Single((await sandbox.Api.GetAsync("templates")).Json["templates"]!.AsArray())!;

        Assert.Equal("otpgate_sandbox", only["namespace"]!.GetValue<string>());
        Assert.Equal("en", only["language"]!.GetValue<string>());
    }
}
